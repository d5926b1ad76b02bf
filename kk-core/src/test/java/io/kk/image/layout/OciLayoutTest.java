package io.kk.image.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreNamedReplacedAndBlobsShared() throws Exception {
        OciLayout l = OciLayout.create(dir);
        byte[] m = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        String d = l.writeBlob(m);
        assertThat(d).isEqualTo(Digests.sha256(m));
        assertThat(l.writeBlob(m)).isEqualTo(d);
        Descriptor desc = Descriptor.of(MediaTypes.DOCKER_LIST, d, m.length);
        l.putEntry("docker.io/a/b:1", desc);
        l.putEntry("docker.io/a/c:1", desc);
        l.putEntry("docker.io/a/b:1", desc);
        assertThat(l.entries())
                .extracting(OciLayout.Entry::refName)
                .containsExactly("docker.io/a/c:1", "docker.io/a/b:1");
        assertThat(l.entry("docker.io/a/b:1").descriptor().mediaType()).isEqualTo(MediaTypes.DOCKER_LIST);
        assertThat(l.entry("docker.io/a/b:1").writtenByKk()).isTrue();
        assertThat(Files.readString(dir.resolve("oci-layout"))).contains("1.0.0");
        try (var s = Files.list(dir.resolve("blobs/sha256"))) {
            assertThat(s.count()).isEqualTo(1);
        }
        assertThat(OciLayout.open(dir).entries()).hasSize(2);
    }

    @Test
    void damagedBlobsAreRefused() throws Exception {
        OciLayout l = OciLayout.create(dir);
        String d = l.writeBlob("hello".getBytes(StandardCharsets.UTF_8));
        Files.writeString(l.blobPath(d), "HELLO");
        assertThatThrownBy(() -> l.readBlob(d)).isInstanceOf(KkException.class).hasMessageContaining("damaged");
        assertThat(l.verifyBlob(d)).isFalse();
    }

    @Test
    void opensAnArtifactsImagesSubdirectory() {
        OciLayout.create(dir.resolve("images"));
        assertThat(OciLayout.open(dir).dir()).isEqualTo(dir.resolve("images"));
        assertThatThrownBy(() -> OciLayout.open(dir.resolve("images/blobs"))).isInstanceOf(KkException.class);
    }
}
