package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.RegistryTarget.NamespaceRewrite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Case by case against KubeKey's Image.ImageRepo() (kubekey-details §4.3). */
class RegistryTargetTest {
    private static String dest(RegistryTarget t, String image) {
        return t.destinationFor(ImageReference.parse(image)).toString();
    }

    @Test
    void privateRegistryKeepsNamespace() {
        RegistryTarget t = RegistryTarget.of("dockerhub.kubekey.local");
        assertThat(dest(t, "docker.io/calico/cni:v3.23.2")).isEqualTo("dockerhub.kubekey.local/calico/cni:v3.23.2");
        assertThat(dest(t, "kubesphere/kube-apiserver:v1.26.5"))
                .isEqualTo("dockerhub.kubekey.local/kubesphere/kube-apiserver:v1.26.5");
    }

    @Test
    void libraryImagesStayInLibrary() {
        RegistryTarget t = RegistryTarget.of("dockerhub.kubekey.local");
        assertThat(dest(t, "haproxy:2.9.6-alpine")).isEqualTo("dockerhub.kubekey.local/library/haproxy:2.9.6-alpine");
        // an image with no namespace at all also lands in library/
        assertThat(t.repositoryFor("", "busybox")).isEqualTo("dockerhub.kubekey.local/library/busybox");
    }

    @Test
    void sourceRegistryIsDropped() {
        RegistryTarget t = RegistryTarget.of("10.0.0.5:5000");
        assertThat(dest(t, "quay.io/prometheus/node-exporter:v1.5.0"))
                .isEqualTo("10.0.0.5:5000/prometheus/node-exporter:v1.5.0");
        assertThat(dest(t, "registry.k8s.io/pause:3.9")).isEqualTo("10.0.0.5:5000/library/pause:3.9");
    }

    @Test
    void deepPathsKeepAllButTheLastComponentAsNamespace() {
        RegistryTarget t = RegistryTarget.of("reg.local:5000");
        assertThat(dest(t, "quay.io/a/b/c:1")).isEqualTo("reg.local:5000/a/b/c:1");
        assertThat(dest(t.withNamespaceOverride("kubesphereio"), "quay.io/a/b/c:1"))
                .isEqualTo("reg.local:5000/kubesphereio/c:1");
    }

    @Test
    void namespaceOverridePutsEveryImageInOneNamespace() {
        RegistryTarget t = RegistryTarget.of("dockerhub.kubekey.local").withNamespaceOverride("kubesphereio");
        assertThat(dest(t, "docker.io/calico/node:v3.23.2"))
                .isEqualTo("dockerhub.kubekey.local/kubesphereio/node:v3.23.2");
        assertThat(dest(t, "coredns/coredns:1.9.3")).isEqualTo("dockerhub.kubekey.local/kubesphereio/coredns:1.9.3");
        assertThat(dest(t, "nginx:1")).isEqualTo("dockerhub.kubekey.local/kubesphereio/nginx:1");
    }

    @Test
    void noRegistryMeansDockerHubAndOverrideIsIgnored() {
        // KubeKey: RepoAddr empty -> "<ns>/<repo>" even when an override is set
        RegistryTarget t = new RegistryTarget("", "kubesphereio", null, false);
        assertThat(t.repositoryFor("calico", "cni")).isEqualTo("calico/cni");
        assertThat(t.repositoryFor("", "cni")).isEqualTo("cni");
        assertThat(dest(t, "calico/cni:v1")).isEqualTo("docker.io/calico/cni:v1");
        assertThat(t.registryHost()).isEqualTo("docker.io");
    }

    @Test
    void kkZoneCnWithoutRegistryGoesToAliyunKubesphereio() {
        RegistryTarget cn = new RegistryTarget("", "", null, true);
        assertThat(dest(cn, "calico/cni:v3.23.2"))
                .isEqualTo("registry.cn-beijing.aliyuncs.com/kubesphereio/cni:v3.23.2");
        assertThat(cn.registryHost()).isEqualTo("registry.cn-beijing.aliyuncs.com");
        RegistryTarget cnAliyun = new RegistryTarget(RegistryTarget.CN_REGISTRY, "other", null, true);
        assertThat(cnAliyun.repositoryFor("calico", "cni"))
                .isEqualTo("registry.cn-beijing.aliyuncs.com/kubesphereio/cni");
        // a private registry wins over KKZONE
        RegistryTarget cnPrivate = new RegistryTarget("reg.local", "", null, true);
        assertThat(cnPrivate.repositoryFor("calico", "cni")).isEqualTo("reg.local/calico/cni");
    }

    @Test
    void namespaceRewriteChangesAMatchingPrefixOrAddsDest() {
        NamespaceRewrite rw = new NamespaceRewrite("changePrefix", List.of("kubesphere", "calico"), "mirror");
        RegistryTarget t = new RegistryTarget("reg.local", "", rw, false);
        assertThat(t.repositoryFor("calico", "cni")).isEqualTo("reg.local/mirror/cni");
        assertThat(t.repositoryFor("kubesphere", "ks-apiserver")).isEqualTo("reg.local/mirror/ks-apiserver");
        assertThat(t.repositoryFor("coredns", "coredns")).isEqualTo("reg.local/mirror/coredns/coredns");
        // substring match and replace-all, as strings.Contains/ReplaceAll do
        assertThat(t.repositoryFor("mycalico/calico", "x")).isEqualTo("reg.local/mymirror/mirror/x");
        // KubeKey makes the empty namespace "dest/" and so an empty path part; reproduced as is
        assertThat(t.repositoryFor("", "x")).isEqualTo("reg.local/mirror//x");
    }

    @Test
    void namespaceOverrideWinsOverRewrite() {
        NamespaceRewrite rw = new NamespaceRewrite("changePrefix", List.of("calico"), "mirror");
        RegistryTarget t = new RegistryTarget("reg.local", "ovr", rw, false);
        assertThat(t.repositoryFor("calico", "cni")).isEqualTo("reg.local/ovr/cni");
    }

    @Test
    void otherRewritePoliciesDoNothing() {
        NamespaceRewrite rw = new NamespaceRewrite("unknown", List.of("calico"), "mirror");
        assertThat(new RegistryTarget("reg.local", "", rw, false).repositoryFor("calico", "cni"))
                .isEqualTo("reg.local/calico/cni");
    }

    @Test
    void registryHostIgnoresAProjectPath() {
        assertThat(RegistryTarget.of("harbor.local/project").registryHost()).isEqualTo("harbor.local");
    }
}
