package io.kk.catalog;

import java.net.URI;
import java.util.Optional;

/**
 * One file of one component at one version and arch: where to fetch it, where it goes in the
 * artifact, and how to check it.
 *
 * @param component the catalog name (kubeadm, kubecni, etcd, ...)
 * @param version as the user wrote it (v1.28.2, 1.6.4)
 * @param arch amd64 or arm64
 * @param fileName the file's name in the artifact (kubeadm, etcd-v3.4.13-linux-amd64.tar.gz)
 * @param url what to fetch, with the zone and mirror applied
 * @param upstreamUrl the project's own URL, before any mirror or zone
 * @param artifactPath the path in KubeKey's artifact layout, {@code <type>/<version>/<arch>/<file>}
 *     (registry parts {@code registry/<id>/<version>/<arch>/<file>}), "/"-separated
 * @param catalogSha256 the sha256 of the file as kk's catalog lists it, if it does
 * @param checksumUrl the release's own checksum file (mirror applied), if the project publishes one
 * @param checksumFormat "bare" or "sha256sum" (see {@link ChecksumFiles}); empty without a checksum
 *     file
 * @param archiveMember when {@link #url} yields a .tar.gz holding the file (helm), the member to
 *     extract; the catalog digest and {@link #fileName} then name the extracted file, while the
 *     release's checksum file covers the download
 */
public record ComponentFile(
        String component,
        String version,
        String arch,
        String fileName,
        URI url,
        URI upstreamUrl,
        String artifactPath,
        Optional<String> catalogSha256,
        Optional<URI> checksumUrl,
        String checksumFormat,
        Optional<String> archiveMember) {

    /** The name of what {@link #url} yields: the name a release's checksum file lists. */
    public String downloadFileName() {
        String path = upstreamUrl.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A short name for messages: {@code kubeadm v1.28.2 amd64}. */
    public String describe() {
        return component + " " + version + " " + arch;
    }
}
