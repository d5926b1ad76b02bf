package io.kk.cluster.images;

import java.util.Objects;

/**
 * What decides the images a cluster runs: the inputs of KubeKey's image table ({@code GetImage} in
 * KubeKey 3.x), taken from a Cluster config or from {@code create manifest --with-kubernetes}.
 *
 * @param kubernetesVersion e.g. "v1.28.2"
 * @param containerManager docker | containerd | crio | isula
 * @param networkPlugin calico | flannel | cilium | kubeovn | hybridnet | none (multus may be
 *     named alongside, KubeKey-style, e.g. "calico,multus")
 * @param multus multus CNI enabled
 * @param nodeLocalDns nodelocaldns enabled (KubeKey's default)
 * @param internalLoadBalancer "" | haproxy | kube-vip
 * @param etcdType kubekey | kubeadm | external
 * @param kubeProxy false when kube-proxy is disabled
 * @param k8sHostCount control-plane + worker hosts (calico typha above 50)
 */
public record ImageNeeds(
        String kubernetesVersion,
        String containerManager,
        String networkPlugin,
        boolean multus,
        boolean nodeLocalDns,
        String internalLoadBalancer,
        String etcdType,
        boolean kubeProxy,
        int k8sHostCount) {

    public ImageNeeds {
        Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
        containerManager = containerManager == null ? "containerd" : containerManager;
        networkPlugin = networkPlugin == null ? "calico" : networkPlugin;
        internalLoadBalancer = internalLoadBalancer == null ? "" : internalLoadBalancer;
        etcdType = etcdType == null ? "kubekey" : etcdType;
    }

    /** KubeKey's defaults for a version: containerd, calico, nodelocaldns, no internal LB. */
    public static ImageNeeds defaults(String kubernetesVersion) {
        return new ImageNeeds(kubernetesVersion, "containerd", "calico", false, true, "", "kubekey", true, 1);
    }
}
