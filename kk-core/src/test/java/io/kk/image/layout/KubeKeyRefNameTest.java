package io.kk.image.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.Platform;
import org.junit.jupiter.api.Test;

class KubeKeyRefNameTest {
    @Test
    void v31FullReferenceWithArch() {
        KubeKeyRefName n = KubeKeyRefName.parse("docker.io/calico/cni:v3.23.2-amd64");
        assertThat(n).isEqualTo(new KubeKeyRefName("calico", "cni", "v3.23.2", new Platform("linux", "amd64", "")));
        assertThat(n.archTag()).isEqualTo("v3.23.2-amd64");
    }

    @Test
    void v31WithVariantAndHostPort() {
        KubeKeyRefName n = KubeKeyRefName.parse("127.0.0.1:5000/kubesphere/kube-apiserver:v1.21.5-arm-v7");
        assertThat(n.namespace()).isEqualTo("kubesphere");
        assertThat(n.repo()).isEqualTo("kube-apiserver");
        assertThat(n.tag()).isEqualTo("v1.21.5");
        assertThat(n.platform()).isEqualTo(new Platform("linux", "arm", "v7"));
        assertThat(n.archTag()).isEqualTo("v1.21.5-arm-v7");
    }

    @Test
    void v30NamespaceRepoTagForm() {
        assertThat(KubeKeyRefName.parse("calico:cni:v3.23.2-arm64"))
                .isEqualTo(new KubeKeyRefName("calico", "cni", "v3.23.2", new Platform("linux", "arm64", "")));
        assertThat(KubeKeyRefName.parse("ns:a/b:1.0-amd64"))
                .isEqualTo(new KubeKeyRefName("ns", "a/b", "1.0", new Platform("linux", "amd64", "")));
    }

    @Test
    void namesWithoutAnArchSuffixAreNotKubeKeyEntries() {
        assertThat(KubeKeyRefName.parse("docker.io/library/nginx:1.25")).isNull();
        assertThat(KubeKeyRefName.parse("docker.io/library/nginx:1.25-alpine")).isNull();
        assertThat(KubeKeyRefName.parse("v1")).isNull();
        assertThat(KubeKeyRefName.parse(null)).isNull();
    }

    @Test
    void tagsWithDashesKeepThem() {
        KubeKeyRefName n = KubeKeyRefName.parse("docker.io/library/haproxy:2.9.6-alpine-amd64");
        assertThat(n.tag()).isEqualTo("2.9.6-alpine");
        assertThat(n.namespace()).isEqualTo("library");
    }
}
