package io.kk.artifact;

import java.nio.file.Path;
import java.util.List;

/**
 * What an artifact holds, as {@code kk artifact inspect} shows it.
 *
 * @param file the artifact
 * @param compression how it is compressed
 * @param kkIndex true when it carries kk's index; false for a KubeKey artifact (listed by path)
 * @param kkVersion the kk that wrote it (empty for KubeKey artifacts)
 * @param created its creation time (empty for KubeKey artifacts)
 * @param fileBytes the artifact file's size
 * @param dataBytes the size of all files in it, uncompressed
 * @param files how many files it holds
 * @param components binaries and OS repositories by name, version and arch
 * @param charts the Helm charts ({@code charts/<name>-<version>.tgz})
 * @param blobs blobs in the OCI image layout
 * @param imageBytes their size
 * @param images the images by platform
 * @param manifest the Manifest it was exported from (empty for KubeKey artifacts)
 */
public record ArtifactContents(
        Path file,
        Compression compression,
        boolean kkIndex,
        String kkVersion,
        String created,
        long fileBytes,
        long dataBytes,
        int files,
        List<Component> components,
        List<Chart> charts,
        int blobs,
        long imageBytes,
        List<ImageEntry> images,
        String manifest) {

    /**
     * Files of one component version for one arch.
     *
     * @param name e.g. {@code kube}, {@code etcd}, {@code registry/harbor}, {@code repository/ubuntu}
     */
    public record Component(String name, String version, String arch, int files, long bytes) {}

    /** A Helm chart package in the artifact. */
    public record Chart(String name, String version, String path, long bytes) {}

    public ArtifactContents {
        components = List.copyOf(components);
        charts = List.copyOf(charts);
        images = List.copyOf(images);
    }
}
