package io.kk.artifact;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One image platform in the artifact's OCI layout, as listed in kk's index.
 *
 * @param ref the layout's {@code org.opencontainers.image.ref.name} (KubeKey's form, e.g. {@code
 *     calico:cni:v3.23.2-amd64})
 * @param image the source image, e.g. {@code docker.io/calico/cni:v3.23.2}
 * @param platform {@code os/arch[/variant]}, empty when unknown
 * @param digest the manifest digest, {@code sha256:<hex>}
 */
@JsonPropertyOrder({"ref", "image", "platform", "digest"})
public record ImageEntry(String ref, String image, String platform, String digest) {
    public ImageEntry {
        Objects.requireNonNull(ref, "ref");
        image = image == null ? "" : image;
        platform = platform == null ? "" : platform;
        digest = digest == null ? "" : digest;
    }
}
