package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void dockerHubNamesGetRegistryLibraryAndLatest() {
        assertThat(ImageReference.parse("nginx").toString()).isEqualTo("docker.io/library/nginx:latest");
        assertThat(ImageReference.parse("calico/cni:v3.23.2").toString()).isEqualTo("docker.io/calico/cni:v3.23.2");
        assertThat(ImageReference.parse("index.docker.io/nginx:1").toString()).isEqualTo("docker.io/library/nginx:1");
        assertThat(ImageReference.parse("registry-1.docker.io/x/y:1").registry())
                .isEqualTo("docker.io");
        assertThat(ImageReference.parse("nginx").apiHost()).isEqualTo("registry-1.docker.io");
    }

    @Test
    void registryIsDetectedByDotColonOrLocalhost() {
        ImageReference r = ImageReference.parse("localhost:5000/a/b/c:1.0");
        assertThat(r.registry()).isEqualTo("localhost:5000");
        assertThat(r.repository()).isEqualTo("a/b/c");
        assertThat(r.tag()).isEqualTo("1.0");
        assertThat(ImageReference.parse("localhost/x").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("quay.io/x").repository()).isEqualTo("x");
        assertThat(ImageReference.parse("myhost/x").toString()).isEqualTo("docker.io/myhost/x:latest");
        assertThat(ImageReference.parse("127.0.0.1:5000/x:v1").registry()).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void digestsWithAndWithoutTag() {
        ImageReference r = ImageReference.parse("quay.io/a/b@" + D);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo(D);
        assertThat(r.reference()).isEqualTo(D);
        ImageReference both = ImageReference.parse("a:1@" + D);
        assertThat(both.toString()).isEqualTo("docker.io/library/a:1@" + D);
        assertThat(both.reference()).isEqualTo(D);
    }

    @Test
    void invalidNamesAreRefusedWithAHint() {
        assertThatThrownBy(() -> ImageReference.parse("Upper/Case")).isInstanceOf(KkException.class);
        assertThatThrownBy(() -> ImageReference.parse("a@sha256:zz")).isInstanceOf(KkException.class);
        assertThatThrownBy(() -> ImageReference.parse("")).isInstanceOf(KkException.class);
        assertThatThrownBy(() -> ImageReference.parse("a:b:c")).isInstanceOf(KkException.class);
    }
}
