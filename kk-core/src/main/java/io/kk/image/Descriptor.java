package io.kk.image;

import java.util.Map;

/**
 * An OCI/Docker content descriptor as read from a manifest or index. Only the fields the copy
 * engine needs are parsed; the manifest bytes themselves are always moved unchanged.
 *
 * @param platform null when the descriptor has none
 * @param annotations never null
 */
public record Descriptor(
        String mediaType, String digest, long size, Platform platform, Map<String, String> annotations) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Descriptor of(String mediaType, String digest, long size) {
        return new Descriptor(mediaType, digest, size, null, Map.of());
    }
}
