package io.kk.cluster.images;

import io.kk.catalog.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The images a cluster needs, exactly as KubeKey 3.x asks for them (its {@code GetImage} table),
 * so an artifact made by {@code kk create manifest --with-kubernetes V} holds what kubeadm, the CNI
 * and the load balancer will pull. Names are upstream names (docker.io/...); rewriting to a private
 * registry happens at push and in the generated configs.
 */
public final class ClusterImages {
    /** KubeKey keeps the Kubernetes images under this Docker Hub namespace. */
    public static final String KUBE_NAMESPACE = "kubesphere";

    static final String ETCD_IMAGE_TAG = "v3.5.6";
    static final String CALICO = "v3.26.1";
    static final String FLANNEL = "v0.21.3";
    static final String FLANNEL_CNI_PLUGIN = "v1.1.2";
    /**
     * The cilium release: its chart ({@code charts/cilium-<this>.tgz}, which the CNI phase installs
     * and {@code kk create manifest} lists) and, with a v, its images. One constant for both.
     */
    public static final String CILIUM_CHART_VERSION = "1.11.7";

    static final String CILIUM = "v" + CILIUM_CHART_VERSION;
    /**
     * The hybridnet chart KubeKey 3.1 embeds ({@code hybridnet-0.6.6.tgz}); kk carries it in the
     * artifact as {@code charts/hybridnet-<this>.tgz}. Its image is set to {@link #HYBRIDNET}.
     */
    public static final String HYBRIDNET_CHART_VERSION = "0.6.6";

    static final String HYBRIDNET = "v0.8.6";
    public static final String KUBEOVN = "v1.10.6";
    static final String MULTUS = "v3.8";
    static final String NODE_LOCAL_DNS = "1.22.20";
    static final String HAPROXY = "2.9.6-alpine";
    static final String KUBE_VIP = "v0.7.2";
    /** OpenEBS local PV, KubeKey's {@code --with-local-storage}: provisioner and helper image tag. */
    public static final String OPENEBS = "3.3.0";

    private ClusterImages() {}

    /** One image kk needs, with the role group that pulls it. */
    public record NeededImage(String reference, String name, Group group) {}

    /** Which nodes pull an image (KubeKey's image groups). */
    public enum Group {
        K8S,
        CONTROL_PLANE,
        WORKER
    }

    /** pause and coredns tags by Kubernetes version, as KubeKey 3.x chooses them. */
    public record PauseAndCoreDns(String pause, String coredns) {}

    public static PauseAndCoreDns pauseAndCoreDns(String kubernetesVersion, String containerManager) {
        int minor = minor(kubernetesVersion);
        String pause = "3.2";
        String coredns = "1.6.9";
        boolean nonDocker =
                containerManager != null && !containerManager.isEmpty() && !"docker".equals(containerManager);
        if (minor >= 21 || nonDocker) {
            pause = "3.4.1";
            coredns = "1.8.0";
        }
        if (minor >= 22) {
            pause = "3.5";
            coredns = "1.8.0";
        }
        if (minor >= 23) {
            pause = "3.6";
            coredns = "1.8.6";
        }
        if (minor >= 24) {
            pause = "3.7";
            coredns = "1.8.6";
        }
        if (minor >= 25) {
            pause = "3.8";
            coredns = "1.9.3";
        }
        if (minor >= 26) {
            pause = "3.9";
            coredns = "1.9.3";
        }
        if (minor >= 31) {
            // kubeadm 1.31+ pre-pulls pause 3.10 (KubeKey's table stops at 3.9): carry what it asks for
            pause = "3.10";
        }
        return new PauseAndCoreDns(pause, coredns);
    }

    /** Every image the cluster described by {@code needs} pulls, in KubeKey's order, no duplicates. */
    public static List<NeededImage> of(ImageNeeds needs) {
        String v = needs.kubernetesVersion();
        PauseAndCoreDns pc = pauseAndCoreDns(v, needs.containerManager());
        String plugin = needs.networkPlugin().toLowerCase(Locale.ROOT);
        boolean multus = needs.multus() || plugin.contains("multus");
        List<NeededImage> out = new ArrayList<>();
        if ("kubeadm".equalsIgnoreCase(needs.etcdType())) {
            add(out, "etcd", KUBE_NAMESPACE, "etcd", ETCD_IMAGE_TAG, Group.CONTROL_PLANE);
        }
        add(out, "pause", KUBE_NAMESPACE, "pause", pc.pause(), Group.K8S);
        add(out, "kube-apiserver", KUBE_NAMESPACE, "kube-apiserver", v, Group.CONTROL_PLANE);
        add(out, "kube-controller-manager", KUBE_NAMESPACE, "kube-controller-manager", v, Group.CONTROL_PLANE);
        add(out, "kube-scheduler", KUBE_NAMESPACE, "kube-scheduler", v, Group.CONTROL_PLANE);
        if (needs.kubeProxy()) {
            add(out, "kube-proxy", KUBE_NAMESPACE, "kube-proxy", v, Group.K8S);
        }
        add(out, "coredns", "coredns", "coredns", pc.coredns(), Group.K8S);
        if (needs.nodeLocalDns()) {
            add(out, "k8s-dns-node-cache", KUBE_NAMESPACE, "k8s-dns-node-cache", NODE_LOCAL_DNS, Group.K8S);
        }
        if (plugin.contains("calico")) {
            add(out, "calico-kube-controllers", "calico", "kube-controllers", CALICO, Group.K8S);
            add(out, "calico-cni", "calico", "cni", CALICO, Group.K8S);
            add(out, "calico-node", "calico", "node", CALICO, Group.K8S);
            // KubeKey's table still lists pod2daemon-flexvol, but the calico 3.26 manifest it (and kk)
            // deploys has no flexvol-driver init container: nothing pulls it, so kk does not carry it
            if (needs.k8sHostCount() > 50) {
                add(out, "calico-typha", "calico", "typha", CALICO, Group.K8S);
            }
        }
        if (plugin.contains("flannel")) {
            add(out, "flannel", "flannel", "flannel", FLANNEL, Group.K8S);
            add(out, "flannel-cni-plugin", "flannel", "flannel-cni-plugin", FLANNEL_CNI_PLUGIN, Group.K8S);
        }
        if (plugin.contains("cilium")) {
            add(out, "cilium", "cilium", "cilium", CILIUM, Group.K8S);
            add(out, "cilium-operator-generic", "cilium", "operator-generic", CILIUM, Group.K8S);
        }
        if (plugin.contains("hybridnet")) {
            add(out, "hybridnet", "hybridnetdev", "hybridnet", HYBRIDNET, Group.K8S);
        }
        if (plugin.contains("kubeovn")) {
            add(out, "kubeovn", "kubeovn", "kube-ovn", KUBEOVN, Group.K8S);
        }
        if (multus) {
            add(out, "multus", KUBE_NAMESPACE, "multus-cni", MULTUS, Group.K8S);
        }
        if ("haproxy".equalsIgnoreCase(needs.internalLoadBalancer())) {
            add(out, "haproxy", "library", "haproxy", HAPROXY, Group.WORKER);
        }
        if ("kube-vip".equalsIgnoreCase(needs.internalLoadBalancer())) {
            add(out, "kubevip", "plndr", "kube-vip", KUBE_VIP, Group.CONTROL_PLANE);
        }
        return List.copyOf(out);
    }

    /**
     * The OpenEBS local PV images (KubeKey's {@code provisioner-localpv} and {@code linux-utils}),
     * which a cluster pulls when local storage is deployed ({@code --with-local-storage}, or
     * KubeSphere without it turned off).
     */
    public static List<NeededImage> localStorage() {
        List<NeededImage> out = new ArrayList<>();
        add(out, "provisioner-localpv", "openebs", "provisioner-localpv", OPENEBS, Group.K8S);
        add(out, "linux-utils", "openebs", "linux-utils", OPENEBS, Group.K8S);
        return List.copyOf(out);
    }

    /** The references only, sorted, as a Manifest's {@code spec.images} lists them. */
    public static List<String> references(ImageNeeds needs) {
        return of(needs).stream()
                .map(NeededImage::reference)
                .sorted()
                .distinct()
                .toList();
    }

    private static void add(List<NeededImage> out, String name, String ns, String repo, String tag, Group group) {
        out.add(new NeededImage("docker.io/" + ns + "/" + repo + ":" + tag, name, group));
    }

    static int minor(String version) {
        return Versions.numbers(version, 2)[1];
    }
}
