package io.kk.image.copy;

import java.util.List;

/**
 * What a copy did.
 *
 * @param images every image copied (or found already there), in request order
 * @param bytesTransferred blob bytes actually moved
 * @param blobsTransferred blobs moved
 * @param blobsSkipped blobs the destination already had
 * @param blobsMounted blobs linked from another repository of the same registry
 */
public record CopySummary(
        List<CopiedImage> images, long bytesTransferred, int blobsTransferred, int blobsSkipped, int blobsMounted) {

    /**
     * @param source what was read, e.g. {@code oci:DIR:docker.io/calico/cni:v3.23.2}
     * @param destination where it went, e.g. {@code reg.local/calico/cni:v3.23.2}
     * @param digest the digest of the top-level manifest or index at the destination
     * @param mediaType its media type
     * @param childDigests digests of the platform manifests of an index (empty for one manifest)
     * @param unchanged true when the destination already had it
     */
    public record CopiedImage(
            String source,
            String destination,
            String digest,
            String mediaType,
            List<String> childDigests,
            boolean unchanged) {}
}
