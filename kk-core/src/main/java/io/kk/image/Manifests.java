package io.kk.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kk.error.KkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads descriptors out of manifest and index bytes, without ever re-serialising them. */
public final class Manifests {
    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    /** The raw bytes of a manifest or index, its media type and its digest (sha256 of the bytes). */
    public record Manifest(byte[] bytes, String mediaType, String digest) {
        public static Manifest of(byte[] bytes, String mediaType) {
            return new Manifest(bytes, mediaType, Digests.sha256(bytes));
        }

        public Descriptor descriptor() {
            return Descriptor.of(mediaType, digest, bytes.length);
        }

        public boolean isIndex() {
            return MediaTypes.isIndex(mediaType);
        }

        /** Children of an index. */
        public List<Descriptor> children() {
            return descriptors(tree(bytes).path("manifests"));
        }

        /** Config first, then layers, of an image manifest. */
        public List<Descriptor> blobs() {
            JsonNode t = tree(bytes);
            List<Descriptor> out = new ArrayList<>();
            if (t.has("config")) {
                out.add(Manifests.descriptor(t.get("config")));
            }
            out.addAll(descriptors(t.path("layers")));
            return out;
        }
    }

    /** The media type a manifest declares, or the given fallback (e.g. a Content-Type). */
    public static String declaredMediaType(byte[] bytes, String fallback) {
        JsonNode mt = tree(bytes).get("mediaType");
        return mt != null && mt.isTextual() ? mt.asText() : fallback;
    }

    static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw KkException.failed("a manifest is not valid JSON: " + e.getMessage(), "the source is damaged");
        }
    }

    static List<Descriptor> descriptors(JsonNode array) {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(Manifests.descriptor(n));
        }
        return out;
    }

    public static Descriptor descriptor(JsonNode n) {
        Platform platform = null;
        JsonNode p = n.get("platform");
        if (p != null) {
            platform = new Platform(
                    p.path("os").asText(""),
                    p.path("architecture").asText(""),
                    p.path("variant").asText(""));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        n.path("annotations")
                .fields()
                .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        String digest = n.path("digest").asText("");
        if (!Digests.isValid(digest)) {
            throw KkException.failed(
                    "a descriptor has an unsupported digest '" + digest + "'", "only sha256 is supported");
        }
        return new Descriptor(
                n.path("mediaType").asText(""), digest, n.path("size").asLong(-1), platform, annotations);
    }

    /** JSON helpers for other image packages, so they share one mapper. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * A new index of the same media type as {@code root} with only the entries of {@code kept}, each
     * entry's JSON untouched.
     */
    public static Manifest subsetIndex(Manifest root, List<Descriptor> kept) {
        try {
            ObjectNode tree = (ObjectNode) json().readTree(root.bytes());
            ArrayNode filtered = json().createArrayNode();
            for (JsonNode m : tree.path("manifests")) {
                if (kept.stream()
                        .anyMatch(k -> k.digest().equals(m.path("digest").asText()))) {
                    filtered.add(m);
                }
            }
            tree.set("manifests", filtered);
            return Manifest.of(json().writeValueAsBytes(tree), root.mediaType());
        } catch (IOException e) {
            throw KkException.internal("cannot rewrite an index", e);
        }
    }
}
