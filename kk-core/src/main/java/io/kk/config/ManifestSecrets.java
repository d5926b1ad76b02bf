package io.kk.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Manifest's text as it may travel inside an artifact: registry passwords and tokens replaced by
 * {@code <redacted>} (an artifact is carried across the air gap and read by many; the credentials
 * stay with the operator's file).
 */
public final class ManifestSecrets {
    private static final Set<String> SECRET_KEYS =
            Set.of("password", "auth", "identitytoken", "registrytoken", "token", "privatekey", "privatekeypath");
    private static final YAMLMapper YAML =
            new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private ManifestSecrets() {}

    /** The text unchanged when it holds no secret, else the same documents with every secret redacted. */
    public static String redact(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        } catch (IOException | RuntimeException e) {
            // not YAML we can read: keep nothing rather than a secret
            return "";
        }
        boolean found = false;
        for (JsonNode d : docs) {
            found |= redactIn(d);
        }
        if (!found) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode d : docs) {
                if (out.length() > 0) {
                    out.append("---\n");
                }
                out.append(YAML.writeValueAsString(d));
            }
        } catch (IOException e) {
            return "";
        }
        return out.toString();
    }

    /**
     * Known names (docker's {@code auth}, {@code identitytoken}, ...) and any name that says what
     * it is: {@code adminPassword}, {@code jwtSecret}, {@code accessToken}, {@code secretKey}.
     */
    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return SECRET_KEYS.contains(k)
                || k.contains("password")
                || k.contains("passwd")
                || k.contains("secret")
                || k.endsWith("token")
                || k.contains("privatekey")
                || k.contains("credential")
                || k.equals("apikey")
                || k.equals("accesskey");
    }

    private static boolean redactIn(JsonNode node) {
        boolean found = false;
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            List<String> secret = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (isSecretKey(f.getKey())
                        && f.getValue().isValueNode()
                        && !f.getValue().asText().isEmpty()) {
                    secret.add(f.getKey());
                } else {
                    found |= redactIn(f.getValue());
                }
            }
            secret.forEach(k -> o.put(k, Redact.secret("x")));
            found |= !secret.isEmpty();
        } else if (node != null && node.isArray()) {
            for (JsonNode child : node) {
                found |= redactIn(child);
            }
        }
        return found;
    }
}
