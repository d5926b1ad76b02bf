package io.kk.config;

import java.util.List;
import java.util.Map;

/**
 * A KubeKey Manifest ({@code kind: Manifest}): what an artifact holds. Components are null when
 * absent (for docker-registry, harbor and docker-compose only presence counts, as in KubeKey).
 *
 * @param arches amd64, arm64 (and arm/v7 for images only)
 * @param images fully qualified references ({@code host/namespace/repo:tag})
 * @param checksums kk's extension: file name -> {@code sha256:<hex>}
 */
public record Manifest(
        String name,
        List<String> arches,
        List<OperatingSystem> operatingSystems,
        List<KubernetesDistribution> kubernetesDistributions,
        Components components,
        List<String> images,
        Map<String, RegistryAuth> registryAuths,
        Map<String, String> checksums) {

    public static final String KIND = "Manifest";

    public Manifest {
        arches = List.copyOf(arches);
        operatingSystems = List.copyOf(operatingSystems);
        kubernetesDistributions = List.copyOf(kubernetesDistributions);
        images = List.copyOf(images);
        registryAuths = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registryAuths));
        checksums = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checksums));
    }

    /**
     * An OS package repository for one OS release.
     *
     * @param id must equal the targets' /etc/os-release ID
     * @param version must equal the targets' /etc/os-release VERSION_ID
     */
    public record OperatingSystem(String arch, String type, String id, String version, String osImage, Iso iso) {}

    /** @param checksum sha256 of the ISO (KubeKey v3.1), may be empty */
    public record Iso(String localPath, String url, String checksum) {}

    public record KubernetesDistribution(String type, String version) {}

    /** A component pinned to a version; version may be empty where only presence counts. */
    public record Component(String version) {}

    public record ContainerRuntime(String type, String version) {}

    /** Every field may be null (absent) except containerRuntimes (empty when absent). */
    public record Components(
            Component helm,
            Component cni,
            Component etcd,
            Component calicoctl,
            Component crictl,
            List<ContainerRuntime> containerRuntimes,
            Component dockerRegistry,
            Component harbor,
            Component dockerCompose,
            Component runc) {
        public Components {
            containerRuntimes = List.copyOf(containerRuntimes);
        }
    }
}
