package io.kk.scan;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kk.catalog.Versions;
import io.kk.error.KkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads what a live cluster runs: every node's facts and every image every pod uses. KubeKey reads
 * only the images cached on nodes; reading the pods' specs as well catches images that are in use
 * but not yet pulled everywhere, and leaves out stale cached ones.
 */
public final class ClusterScanner {
    private ClusterScanner() {}

    /** Scans the cluster a kubeconfig file points at (its current context). */
    public static ClusterInventory scan(Path kubeconfig) {
        String text;
        try {
            text = Files.readString(kubeconfig);
        } catch (NoSuchFileException e) {
            throw KkException.invalidInput(
                    "kubeconfig " + kubeconfig + " does not exist",
                    "give the cluster's kubeconfig with --kubeconfig FILE");
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read kubeconfig " + kubeconfig + ": " + io.kk.error.Causes.describe(e), "check the file");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(text);
        } catch (RuntimeException e) {
            throw KkException.invalidInput(
                    "kubeconfig " + kubeconfig + " is not valid: " + io.kk.error.Causes.describe(e),
                    "check the file (kubectl config view)");
        }
        // a scan is a handful of reads: 3 quick retries ride out a blip, where fabric8's default
        // (10, from 1 s, exponential) keeps an operator with a wrong address waiting ~20 s
        config.setRequestRetryBackoffLimit(3);
        config.setRequestRetryBackoffInterval(200);
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            return scan(client, config.getMasterUrl());
        }
    }

    /** Scans through a ready client (tests hand in a mock server's client). */
    public static ClusterInventory scan(KubernetesClient client, String where) {
        List<Node> nodes;
        List<Pod> pods;
        try {
            nodes = client.nodes().list().getItems();
            pods = client.pods().inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            throw KkException.environment(
                    "cannot read the cluster at " + where + ": " + io.kk.error.Causes.describe(e),
                    "check that the API server is reachable and the kubeconfig's user may list nodes and pods",
                    e);
        }
        if (nodes.isEmpty()) {
            throw KkException.environment(
                    "the cluster at " + where + " has no nodes", "check the kubeconfig's context");
        }
        List<NodeFacts> facts = nodes.stream()
                .map(ClusterScanner::facts)
                .sorted(Comparator.comparing(NodeFacts::name))
                .toList();

        TreeSet<String> arches = new TreeSet<>();
        TreeSet<String> osKeys = new TreeSet<>();
        List<ClusterInventory.OperatingSystem> oses = new ArrayList<>();
        TreeSet<String> runtimeKeys = new TreeSet<>();
        List<ClusterInventory.ContainerRuntime> runtimes = new ArrayList<>();
        String bestVersion = null;
        String type = "kubernetes";
        for (NodeFacts n : facts) {
            arches.add(n.architecture());
            ClusterInventory.OperatingSystem os = operatingSystem(n);
            if (osKeys.add(os.toString())) {
                oses.add(os);
            }
            ClusterInventory.ContainerRuntime rt = runtime(n.containerRuntimeVersion());
            if (rt != null && runtimeKeys.add(rt.toString())) {
                runtimes.add(rt);
            }
            String kubelet = n.kubeletVersion();
            if (kubelet.contains("+k3s")) {
                type = "k3s";
            }
            String plain = kubelet.split("\\+")[0];
            if (bestVersion == null || compareVersions(plain, bestVersion) > 0) {
                bestVersion = plain;
            }
        }
        TreeSet<String> images = new TreeSet<>();
        for (Pod pod : pods) {
            if (pod.getSpec() == null) {
                continue;
            }
            Stream.concat(
                            Stream.concat(
                                            Optional.ofNullable(pod.getSpec().getContainers())
                                                    .orElse(List.of())
                                                    .stream(),
                                            Optional.ofNullable(pod.getSpec().getInitContainers())
                                                    .orElse(List.of())
                                                    .stream())
                                    .map(Container::getImage),
                            Optional.ofNullable(pod.getSpec().getEphemeralContainers()).orElse(List.of()).stream()
                                    .map(EphemeralContainer::getImage))
                    .filter(i -> i != null && !i.isBlank())
                    .map(ClusterScanner::normalise)
                    .forEach(images::add);
        }
        oses.sort(Comparator.comparing(Object::toString));
        runtimes.sort(Comparator.comparing(Object::toString));
        return new ClusterInventory(
                facts,
                List.copyOf(arches),
                List.copyOf(oses),
                type,
                bestVersion,
                List.copyOf(runtimes),
                List.copyOf(images));
    }

    private static NodeFacts facts(Node node) {
        NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
        String name = node.getMetadata().getName();
        if (info == null) {
            throw KkException.environment(
                    "node " + name + " reports no status.nodeInfo",
                    "is its kubelet running? kubectl describe node " + name);
        }
        return new NodeFacts(
                name,
                nz(info.getArchitecture()),
                nz(info.getOperatingSystem()),
                nz(info.getOsImage()),
                nz(info.getKernelVersion()),
                nz(info.getKubeletVersion()),
                nz(info.getContainerRuntimeVersion()));
    }

    /**
     * Manifest OS entry from a node's osImage, KubeKey's way: Ubuntu gives major.minor ("Ubuntu
     * 20.04.6 LTS" -> 20.04), CentOS/RHEL the third word's major ("CentOS Linux 7 (Core)" -> 7), Debian
     * the number in the name; others keep their lower-cased first word and need the version edited.
     */
    static ClusterInventory.OperatingSystem operatingSystem(NodeFacts n) {
        String[] words = n.osImage().trim().split("\\s+");
        String id = words.length > 0 ? words[0].toLowerCase(Locale.ROOT) : "";
        String version = "";
        switch (id) {
            case "ubuntu" -> {
                if (words.length > 1) {
                    String[] parts = words[1].split("\\.");
                    version = parts.length >= 2 ? parts[0] + "." + parts[1] : words[1];
                }
            }
            case "centos", "red" -> {
                if ("red".equals(id)) {
                    id = "rhel";
                }
                for (String w : words) {
                    if (w.matches("\\d+(\\.\\d+)*")) {
                        version = w.split("\\.")[0];
                        break;
                    }
                }
            }
            case "debian" -> {
                for (String w : words) {
                    if (w.matches("\\d+(\\.\\d+)*")) {
                        version = w;
                        break;
                    }
                }
            }
            default -> version = "";
        }
        return new ClusterInventory.OperatingSystem(n.architecture(), n.operatingSystem(), id, version, n.osImage());
    }

    /** "containerd://1.6.4" -> (containerd, 1.6.4); "docker://20.10.8" -> (docker, 20.10.8). */
    static ClusterInventory.ContainerRuntime runtime(String runtimeVersion) {
        int i = runtimeVersion.indexOf("://");
        if (i < 0) {
            return null;
        }
        String type = runtimeVersion.substring(0, i);
        String version = runtimeVersion.substring(i + 3);
        if (version.startsWith("v")) {
            version = version.substring(1);
        }
        return new ClusterInventory.ContainerRuntime(type, version);
    }

    /**
     * Full reference with Docker Hub's implied parts made explicit: nginx ->
     * docker.io/library/nginx:latest, calico/node:v3 -> docker.io/calico/node:v3.
     */
    static String normalise(String image) {
        String ref = image.trim();
        String nameAndTag = ref;
        String digest = "";
        int at = ref.indexOf('@');
        if (at >= 0) {
            nameAndTag = ref.substring(0, at);
            digest = ref.substring(at);
        }
        int slash = nameAndTag.indexOf('/');
        String first = slash < 0 ? "" : nameAndTag.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        String withRegistry;
        if (hasRegistry) {
            withRegistry = nameAndTag;
        } else if (slash < 0) {
            withRegistry = "docker.io/library/" + nameAndTag;
        } else {
            withRegistry = "docker.io/" + nameAndTag;
        }
        String lastSegment = withRegistry.substring(withRegistry.lastIndexOf('/') + 1);
        if (!lastSegment.contains(":") && digest.isEmpty()) {
            withRegistry = withRegistry + ":latest";
        }
        return withRegistry + digest;
    }

    /** Kubelet versions by semantic-version precedence (a pre-release ranks below its release). */
    static int compareVersions(String a, String b) {
        return Versions.compare(a, b);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
