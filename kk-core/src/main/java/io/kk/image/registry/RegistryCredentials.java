package io.kk.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kk.error.KkException;
import io.kk.image.ImageReference;
import io.kk.image.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry settings by host: the config's {@code auths} map first, then docker's config.json
 * ({@code auths.<host>.auth} = base64 of user:password). Hosts are compared after normalisation
 * (scheme and path stripped, Docker Hub's aliases folded into {@code docker.io}). Credential helpers
 * and identity tokens are not supported.
 */
public final class RegistryCredentials {
    private final Map<String, RegistryAuth> byHost;

    private RegistryCredentials(Map<String, RegistryAuth> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static RegistryCredentials none() {
        return new RegistryCredentials(Map.of());
    }

    public static RegistryCredentials of(Map<String, RegistryAuth> auths) {
        Map<String, RegistryAuth> m = new LinkedHashMap<>();
        auths.forEach((k, v) -> m.put(normaliseHost(k), v));
        return new RegistryCredentials(m);
    }

    /** Reads {@code ~/.docker/config.json}-style files; a missing file gives no credentials. */
    public static RegistryCredentials fromDockerConfig(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            return none();
        }
        JsonNode root;
        try {
            root = Manifests.json().readTree(Files.readAllBytes(configJson));
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read docker config " + configJson + ": "
                            + e.getClass().getSimpleName(),
                    "fix or remove the file");
        }
        Map<String, RegistryAuth> m = new LinkedHashMap<>();
        root.path("auths").fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            String user = a.path("username").asText(null);
            String pass = a.path("password").asText(null);
            String encoded = a.path("auth").asText("");
            if (!encoded.isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException bad) {
                    throw KkException.invalidInput(
                            "docker config " + configJson + ": the auth of " + e.getKey() + " is not base64",
                            "run docker login again");
                }
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    pass = decoded.substring(colon + 1);
                }
            }
            if (user != null && pass != null) {
                m.put(normaliseHost(e.getKey()), new RegistryAuth(user, pass, false, false, null));
            }
        });
        return new RegistryCredentials(m);
    }

    /** The default docker config: {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}. */
    public static Path defaultDockerConfig() {
        String dir = System.getenv("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty()
                ? Path.of(dir, "config.json")
                : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /**
     * These settings, with {@code fallback}'s credentials used for hosts that have none here (TLS and
     * scheme settings always come from this one).
     */
    public RegistryCredentials orElse(RegistryCredentials fallback) {
        Map<String, RegistryAuth> m = new LinkedHashMap<>(fallback.byHost);
        byHost.forEach((host, auth) -> {
            RegistryAuth other = fallback.byHost.get(host);
            m.put(
                    host,
                    !auth.hasCredentials() && other != null
                            ? auth.withCredentials(other.username(), other.password())
                            : auth);
        });
        return new RegistryCredentials(m);
    }

    public RegistryAuth forHost(String host) {
        return byHost.getOrDefault(normaliseHost(host), RegistryAuth.ANONYMOUS);
    }

    static String normaliseHost(String key) {
        String k = key.trim();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return ImageReference.normaliseRegistry(k);
    }

    @Override
    public String toString() {
        return "RegistryCredentials" + byHost.keySet();
    }
}
