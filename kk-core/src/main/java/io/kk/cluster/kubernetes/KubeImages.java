package io.kk.cluster.kubernetes;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import java.util.List;
import java.util.Objects;

/**
 * The image names the generated files point at, already rewritten for the private registry.
 *
 * @param imageRepository kubeadm's {@code imageRepository} (kube-apiserver, ..., pause), e.g.
 *     {@code dockerhub.kubekey.local/kubesphereio}
 * @param corednsRepository {@code dns.imageRepository} (kubeadm appends {@code /coredns})
 * @param corednsTag {@code dns.imageTag}
 * @param etcdRepository {@code etcd.local.imageRepository}, used only with kubeadm's local etcd
 * @param etcdTag {@code etcd.local.imageTag}
 * @param haproxyImage the internal load balancer's image
 * @param kubeVipImage kube-vip's image
 */
public record KubeImages(
        String imageRepository,
        String corednsRepository,
        String corednsTag,
        String etcdRepository,
        String etcdTag,
        String haproxyImage,
        String kubeVipImage) {

    public KubeImages {
        Objects.requireNonNull(imageRepository, "imageRepository");
        Objects.requireNonNull(corednsRepository, "corednsRepository");
        Objects.requireNonNull(corednsTag, "corednsTag");
        Objects.requireNonNull(etcdRepository, "etcdRepository");
        Objects.requireNonNull(etcdTag, "etcdTag");
        Objects.requireNonNull(haproxyImage, "haproxyImage");
        Objects.requireNonNull(kubeVipImage, "kubeVipImage");
    }

    /**
     * The names KubeKey's image table gives for this version and runtime, rewritten: the same table
     * that fills the artifact, so what the configs ask for is what the artifact holds.
     */
    public static KubeImages of(KubeVersion version, ContainerRuntime runtime, ImageRewrite rewrite) {
        // Ask the table for everything that can appear: kubeadm etcd, and both load balancers.
        ImageNeeds haproxyNeeds = new ImageNeeds(
                version.text(), runtime.configName(), "none", false, false, "haproxy", "kubeadm", true, 1);
        ImageNeeds vipNeeds = new ImageNeeds(
                version.text(), runtime.configName(), "none", false, false, "kube-vip", "kubeadm", true, 1);
        List<ClusterImages.NeededImage> table = ClusterImages.of(haproxyNeeds);
        String apiserver = rewrite.apply(reference(table, "kube-apiserver"));
        String coredns = rewrite.apply(reference(table, "coredns"));
        String etcd = rewrite.apply(reference(table, "etcd"));
        return new KubeImages(
                ImageRewrite.repositoryOf(apiserver),
                ImageRewrite.repositoryOf(coredns),
                ImageRewrite.tagOf(coredns),
                ImageRewrite.repositoryOf(etcd),
                ImageRewrite.tagOf(etcd),
                rewrite.apply(reference(table, "haproxy")),
                rewrite.apply(reference(ClusterImages.of(vipNeeds), "kubevip")));
    }

    private static String reference(List<ClusterImages.NeededImage> table, String name) {
        return table.stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("image table has no " + name))
                .reference();
    }
}
