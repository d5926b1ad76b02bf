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
 * @param charts kk's extension ({@code spec.charts}): Helm charts to pack, from a chart repository
 *     or a local .tgz; KubeKey's Manifest has no chart list
 */
public record Manifest(
        String name,
        List<String> arches,
        List<OperatingSystem> operatingSystems,
        List<KubernetesDistribution> kubernetesDistributions,
        Components components,
        List<String> images,
        Map<String, RegistryAuth> registryAuths,
        Map<String, String> checksums,
        List<Chart> charts) {

    public static final String KIND = "Manifest";

    /** A Manifest without charts (KubeKey's fields and {@code spec.checksums}). */
    public Manifest(
            String name,
            List<String> arches,
            List<OperatingSystem> operatingSystems,
            List<KubernetesDistribution> kubernetesDistributions,
            Components components,
            List<String> images,
            Map<String, RegistryAuth> registryAuths,
            Map<String, String> checksums) {
        this(
                name,
                arches,
                operatingSystems,
                kubernetesDistributions,
                components,
                images,
                registryAuths,
                checksums,
                List.of());
    }

    public Manifest {
        charts = List.copyOf(charts);
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

    /**
     * A Helm chart to pack (kk's {@code spec.charts}): {@code {name, repo, version}} from a chart
     * repository (its index.yaml names the URL and digest), or {@code {path}} to a local .tgz whose
     * Chart.yaml gives name and version when they are empty. Packed at {@code
     * charts/<name>-<version>.tgz}.
     *
     * @param repo the chart repository's URL (http or https), empty for a local chart
     * @param version the chart version; empty takes the newest release in the repository
     * @param path a local chart .tgz, empty for a repository chart
     */
    public record Chart(String name, String repo, String version, String path) {
        public Chart {
            name = name == null ? "" : name;
            repo = repo == null ? "" : repo;
            version = version == null ? "" : version;
            path = path == null ? "" : path;
        }
    }

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
