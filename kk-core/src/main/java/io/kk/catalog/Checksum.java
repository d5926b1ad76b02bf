package io.kk.catalog;

/**
 * A trusted sha256 for a {@link ComponentFile}, and where kk found it.
 *
 * @param sha256 lower-case hex
 * @param source the catalog, the release's own checksum file, or the manifest's spec.checksums
 * @param subject what the digest covers: the file itself, or the download it is extracted from
 *     (differs only for a component with an {@link ComponentFile#archiveMember()})
 * @param origin where exactly: the catalog, the checksum file's URL, or the spec.checksums key
 */
public record Checksum(String sha256, Source source, Subject subject, String origin) {
    public enum Source {
        CATALOG,
        RELEASE_CHECKSUM_FILE,
        MANIFEST
    }

    public enum Subject {
        FILE,
        DOWNLOAD
    }

    /** {@code sha256:<hex>}, the form the artifact's index and spec.checksums use. */
    public String prefixed() {
        return "sha256:" + sha256;
    }
}
