package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's "the images kubeadm will ask for are the images in the artifact", at the generator
 * level: for each release, runtime, etcd type and registry rewrite, the images kubeadm derives from
 * the generated ClusterConfiguration are exactly the Kubernetes images of KubeKey's table (which
 * fills the artifact), rewritten the same way.
 */
class KubeadmImagesTest {
    static final List<String> VERSIONS = List.of(
            "v1.19.16",
            "v1.20.15",
            "v1.21.14",
            "v1.22.17",
            "v1.23.17",
            "v1.24.17",
            "v1.25.16",
            "v1.26.15",
            "v1.27.16",
            "v1.28.15",
            "v1.29.14",
            "v1.30.14",
            "v1.31.4",
            "v1.32.2");
    static final List<ImageRewrite> REWRITES = List.of(
            ImageRewrite.none(),
            new ImageRewrite("dockerhub.kubekey.local", ""),
            new ImageRewrite("dockerhub.kubekey.local", "kubesphereio"),
            new ImageRewrite("harbor.example.com:8443/library", ""));
    static final Set<String> KUBEADM_COMPONENTS =
            Set.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy", "coredns");

    @Test
    void everyImageKubeadmPullsIsInTheArtifactTable() {
        List<String> preflightOnlyPause = new ArrayList<>();
        int checked = 0;
        for (String version : VERSIONS) {
            for (ContainerRuntime rt : List.of(ContainerRuntime.CONTAINERD, ContainerRuntime.DOCKER)) {
                for (String etcdType : List.of("kubekey", "kubeadm", "external")) {
                    for (ImageRewrite rw : REWRITES) {
                        // kube-proxy on and off alternate, so both occur for every release.
                        boolean kubeProxy = checked++ % 2 == 0;
                        check(KubeVersion.parse(version), rt, etcdType, rw, kubeProxy, preflightOnlyPause);
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(VERSIONS.size() * 2 * 3 * REWRITES.size());
        // Pinned: where kubeadm's compiled-in pause differs from KubeKey's table (KubeKey has the
        // same gap) for 1.19/1.20 with a CRI runtime: table 3.4.1, kubeadm 3.2. From 1.31 kk's
        // table carries kubeadm's pause 3.10.
        assertThat(preflightOnlyPause.stream().distinct().toList())
                .containsExactly("v1.19.16/containerd", "v1.20.15/containerd");
    }

    private static void check(
            KubeVersion v,
            ContainerRuntime rt,
            String etcdType,
            ImageRewrite rw,
            boolean kubeProxy,
            List<String> preflightOnlyPause) {
        KubeImages images = KubeImages.of(v, rt, rw);
        KubeadmSettings s = settings(v.text(), rt, etcdType, kubeProxy, images);
        ImageNeeds needs = new ImageNeeds(v.text(), rt.configName(), "calico", false, true, "", etcdType, kubeProxy, 2);
        List<ClusterImages.NeededImage> all = ClusterImages.of(needs);
        List<String> table = all.stream()
                .filter(i -> KUBEADM_COMPONENTS.contains(i.name()))
                .map(i -> rw.apply(i.reference()))
                .sorted()
                .toList();
        String tablePause = all.stream()
                .filter(i -> i.name().equals("pause"))
                .map(i -> rw.apply(i.reference()))
                .findFirst()
                .orElseThrow();

        List<KubeadmImages.Pulled> pulled = KubeadmImages.pulledBy(KubeadmConfigs.init(s, "node1"), kubeProxy);
        String context = v + " " + rt + " etcd=" + etcdType + " proxy=" + kubeProxy + " " + rw;
        assertThat(pulled.stream()
                        .filter(p -> !p.component().equals("pause"))
                        .map(KubeadmImages.Pulled::reference)
                        .sorted()
                        .toList())
                .as(context)
                .isEqualTo(table);

        String kubeadmPause = pulled.stream()
                .filter(p -> p.component().equals("pause"))
                .findFirst()
                .orElseThrow()
                .reference();
        boolean dockershim = rt == ContainerRuntime.DOCKER && v.below(24);
        if (dockershim) {
            // dockershim runs kubeadm's pause as the pod sandbox: it must be in the artifact.
            assertThat(kubeadmPause).as(context).isEqualTo(tablePause);
        } else if (!kubeadmPause.equals(tablePause)) {
            // With a CRI runtime the sandbox is the runtime's (the table's) pause; kubeadm's own
            // tag is only pre-pulled, and that failure is ignored (ImagePull).
            preflightOnlyPause.add(v + "/" + rt.configName());
        }
    }

    @Test
    void kubeadmNamesCorednsFromDnsImageRepositoryAndEtcdFromItsOwnRepository() {
        KubeImages images =
                new KubeImages("reg.local/kube", "reg.local/dns", "1.9.3", "reg.local/etcd-ns", "v3.5.6", "h:1", "k:1");
        KubeadmSettings s = settings("v1.26.15", ContainerRuntime.CONTAINERD, "kubeadm", true, images);
        assertThat(KubeadmImages.pulledBy(KubeadmConfigs.init(s, "node1"), true))
                .extracting(KubeadmImages.Pulled::reference)
                .containsExactly(
                        "reg.local/kube/kube-apiserver:v1.26.15",
                        "reg.local/kube/kube-controller-manager:v1.26.15",
                        "reg.local/kube/kube-scheduler:v1.26.15",
                        "reg.local/kube/kube-proxy:v1.26.15",
                        "reg.local/kube/pause:3.9",
                        "reg.local/etcd-ns/etcd:v3.5.6",
                        "reg.local/dns/coredns:1.9.3");
    }

    private static KubeadmSettings settings(
            String version, ContainerRuntime rt, String etcdType, boolean kubeProxy, KubeImages images) {
        List<KubeNode> nodes = List.of(new KubeNode("node1", "10.0.0.11", "10.0.0.11", true, true));
        EtcdMode etcd =
                switch (etcdType) {
                    case "kubeadm" -> new EtcdMode.KubeadmLocal(images.etcdRepository(), images.etcdTag(), List.of());
                    case "external" -> EtcdMode.userProvided(List.of("https://10.0.1.5:2379"), "", "", "");
                    default -> EtcdMode.kubekey(List.of("10.0.0.11"), 2379, "node1");
                };
        return KubeadmSettings.builder(version)
                .containerRuntime(rt)
                .images(images)
                .nodes(nodes)
                .etcd(etcd)
                .kubeProxy(kubeProxy)
                .build();
    }
}
