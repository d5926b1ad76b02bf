package io.kk.scan;

import java.util.List;

/**
 * What a live cluster runs, as needed to write a Manifest for it.
 *
 * @param nodes every node's facts, by name
 * @param arches distinct node architectures, sorted
 * @param operatingSystems distinct (arch, id, version, osImage), sorted
 * @param kubernetesType kubernetes or k3s
 * @param kubernetesVersion the highest kubelet version among the nodes (KubeKey's rule)
 * @param containerRuntimes distinct (type, version) from the nodes' runtime versions
 * @param images every image of every pod's containers, init containers and ephemeral containers in
 *     every namespace, normalised to full references, deduplicated and sorted
 */
public record ClusterInventory(
        List<NodeFacts> nodes,
        List<String> arches,
        List<OperatingSystem> operatingSystems,
        String kubernetesType,
        String kubernetesVersion,
        List<ContainerRuntime> containerRuntimes,
        List<String> images) {

    /** An OS as a Manifest's {@code operatingSystems[]} entry names it. */
    public record OperatingSystem(String arch, String type, String id, String version, String osImage) {}

    /** A container runtime as a Manifest's {@code containerRuntimes[]} entry names it. */
    public record ContainerRuntime(String type, String version) {}
}
