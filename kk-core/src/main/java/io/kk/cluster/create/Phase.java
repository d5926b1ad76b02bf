package io.kk.cluster.create;

import io.kk.error.KkException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The phases of {@code kk create cluster}, in the order it runs them; each alone is {@code kk create
 * phase <name>}. KubeKey's names (binary, os, images, etcd, init, join, configure, addons,
 * kubesphere) plus kk's registry, runtime and certs-renew, which KubeKey runs inside others.
 * KubeKey's SaveKubeConfig step (the admin kubeconfig as a ConfigMap in {@code kubekey-system}) has
 * no phase: kk leaves cluster-admin credentials out of ConfigMaps (see {@code
 * io.kk.cluster.configure.ClusterSettingsPlan}).
 */
public enum Phase {
    BINARY("binary", "the binaries in the work dir: from the artifact, or downloaded without -a", false),
    OS("os", "precheck and prepare every host's OS (as kk init os)", false),
    REGISTRY("registry", "the private registry on the registry host", false),
    IMAGES("images", "the artifact's images pushed to the private registry", false),
    RUNTIME("runtime", "the container runtime (containerd or docker) on every Kubernetes node", false),
    ETCD("etcd", "the etcd cluster (type kubekey), or its certificates (external)", false),
    CERTS_RENEW("certs-renew", "the certificate auto-renew timer on control planes (autoRenewCerts)", false),
    INIT("init", "kubeadm init on the first control plane", true),
    JOIN("join", "kubeadm join of the other control planes and the workers", true),
    CONFIGURE("configure", "the network plugin (CNI) and the cluster's settings", true),
    ADDONS("addons", "the config's addons (helm charts and manifests)", true),
    KUBESPHERE("kubesphere", "KubeSphere, when the config enables it", true);

    private final String label;
    private final String description;
    private final boolean needsKubeadm;

    Phase(String label, String description, boolean needsKubeadm) {
        this.label = label;
        this.description = description;
        this.needsKubeadm = needsKubeadm;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The Kubernetes phases: they run kubeadm and kubelet. */
    public boolean needsKubeadm() {
        return needsKubeadm;
    }

    /** Every phase in the order create cluster runs them. */
    public static List<Phase> all() {
        return List.of(values());
    }

    public static Phase parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(p -> p.label.equals(n))
                .findFirst()
                .orElseThrow(() -> KkException.invalidInput(
                        "unknown phase '" + name + "'",
                        "use one of "
                                + Arrays.stream(values()).map(Phase::label).toList()));
    }

    @Override
    public String toString() {
        return label;
    }
}
