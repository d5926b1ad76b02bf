package io.kk.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.error.KkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads descriptors out of manifest and index bytes, without ever re-serialising them. */
public final class Manifests {
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
            return descriptors(Json.get(tree(bytes), "manifests"));
        }

        /** Config first, then layers, of an image manifest. */
        public List<Descriptor> blobs() {
            Object t = tree(bytes);
            List<Descriptor> out = new ArrayList<>();
            Object config = Json.get(t, "config");
            if (config != null) {
                out.add(Manifests.descriptor(config));
            }
            out.addAll(descriptors(Json.get(t, "layers")));
            return out;
        }
    }

    /** The media type a manifest declares, or the given fallback (e.g. a Content-Type). */
    public static String declaredMediaType(byte[] bytes, String fallback) {
        return Json.get(tree(bytes), "mediaType") instanceof String mt ? mt : fallback;
    }

    static Object tree(byte[] bytes) {
        try {
            return Json.parse(bytes);
        } catch (Json.SyntaxException e) {
            throw KkException.failed("a manifest is not valid JSON: " + e.getMessage(), "the source is damaged");
        }
    }

    static List<Descriptor> descriptors(Object array) {
        List<Descriptor> out = new ArrayList<>();
        for (Object n : Json.elements(array)) {
            out.add(Manifests.descriptor(n));
        }
        return out;
    }

    /** The descriptor a parsed JSON object ({@link Json}) holds. */
    public static Descriptor descriptor(Object n) {
        Platform platform = null;
        Object p = Json.get(n, "platform");
        if (p != null) {
            platform = new Platform(
                    Json.text(Json.get(p, "os"), ""),
                    Json.text(Json.get(p, "architecture"), ""),
                    Json.text(Json.get(p, "variant"), ""));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        Json.members(Json.get(n, "annotations")).forEach((k, v) -> annotations.put(k, Json.text(v, "null")));
        String digest = Json.text(Json.get(n, "digest"), "");
        if (!Digests.isValid(digest)) {
            throw KkException.failed(
                    "a descriptor has an unsupported digest '" + digest + "'", "only sha256 is supported");
        }
        return new Descriptor(
                Json.text(Json.get(n, "mediaType"), ""),
                digest,
                Json.longValue(Json.get(n, "size"), -1),
                platform,
                annotations);
    }

    /**
     * Jackson, for image code outside the engine's hot path (planning, config.json, chart metadata).
     * Built on first use: the engine itself reads and writes its JSON with {@link Json}.
     */
    public static ObjectMapper json() {
        return JacksonHolder.MAPPER;
    }

    private static final class JacksonHolder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * A new index of the same media type as {@code root} with only the entries of {@code kept}, each
     * entry's JSON untouched.
     */
    public static Manifest subsetIndex(Manifest root, List<Descriptor> kept) {
        Map<String, Object> tree = new LinkedHashMap<>(Json.members(tree(root.bytes())));
        List<Object> filtered = new ArrayList<>();
        for (Object m : Json.elements(tree.get("manifests"))) {
            String digest = Json.text(Json.get(m, "digest"), "");
            if (kept.stream().anyMatch(k -> k.digest().equals(digest))) {
                filtered.add(m);
            }
        }
        tree.put("manifests", filtered);
        return Manifest.of(Json.write(tree), root.mediaType());
    }
}
