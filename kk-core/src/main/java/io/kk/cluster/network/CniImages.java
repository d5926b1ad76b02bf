package io.kk.cluster.network;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import io.kk.image.RegistryTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CNI images by KubeKey's image names ({@code calico-node}, {@code flannel}, {@code multus},
 * ...), taken from {@link ClusterImages} (the table that fills the artifact) and named as the nodes
 * pull them: KubeKey's {@code ImageName()}, i.e. {@code ns/repo:tag} without a private registry and
 * {@code registry/ns-or-override/repo:tag} with one.
 *
 * @param byName KubeKey image name -> name on the nodes
 * @param sources KubeKey image name -> the upstream reference (docker.io/...), as the artifact holds it
 */
public record CniImages(Map<String, String> byName, Map<String, String> sources) {
    /** The CNI names of KubeKey's image table, in its order. */
    public static final List<String> CNI_NAMES = List.of(
            "calico-kube-controllers",
            "calico-cni",
            "calico-node",
            "calico-flexvol",
            "calico-typha",
            "flannel",
            "flannel-cni-plugin",
            "cilium",
            "cilium-operator-generic",
            "hybridnet",
            "kubeovn",
            "multus");

    public CniImages {
        byName = Map.copyOf(byName);
        sources = Map.copyOf(sources);
    }

    public static CniImages of(ImageNeeds needs, RegistryTarget target) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (ClusterImages.NeededImage i : ClusterImages.of(needs)) {
            if (CNI_NAMES.contains(i.name())) {
                names.put(i.name(), nodeName(target, i.reference()));
                sources.put(i.name(), i.reference());
            }
        }
        return new CniImages(names, sources);
    }

    /** The name on the nodes; fails when the table has no such image for this cluster. */
    public String get(String name) {
        return find(name)
                .orElseThrow(
                        () -> new IllegalStateException("KubeKey's image table has no " + name + " for this cluster"));
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** KubeKey's {@code ImageName()} for a docker.io reference under a registry target. */
    public static String nodeName(RegistryTarget target, String dockerHubReference) {
        String ref = dockerHubReference.startsWith("docker.io/")
                ? dockerHubReference.substring("docker.io/".length())
                : dockerHubReference;
        int colon = ref.lastIndexOf(':');
        String path = ref.substring(0, colon);
        String tag = ref.substring(colon + 1);
        int slash = path.lastIndexOf('/');
        String namespace = slash < 0 ? "" : path.substring(0, slash);
        String repo = path.substring(slash + 1);
        return target.repositoryFor(namespace, repo) + ":" + tag;
    }
}
