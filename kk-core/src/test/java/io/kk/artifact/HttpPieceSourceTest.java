package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpPieceSourceTest {
    @TempDir
    Path tmp;

    Upstream upstream;
    final byte[] content = ArtifactFixtures.random(9, 200_000);

    @BeforeEach
    void start() throws IOException {
        upstream = new Upstream();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void probesSizeAndResumesAPartialFileWithRange() throws Exception {
        URI uri = upstream.put("/f", content);
        HttpPieceSource source = new HttpPieceSource(HttpPieceSource.defaultClient(), uri);
        assertThat(source.probeSize()).isEqualTo(content.length);

        Path part = tmp.resolve("f.part");
        Files.write(part, Arrays.copyOf(content, 50_000));
        AtomicLong fetched = new AtomicLong();
        source.fetchInto(part, fetched::addAndGet);

        assertThat(Files.readAllBytes(part)).isEqualTo(content);
        assertThat(fetched.get()).isEqualTo(150_000);
        assertThat(upstream.requests).contains("/f bytes=50000-");
    }

    @Test
    void serverIgnoringRangeRestartsThePartialFile() throws Exception {
        URI uri = upstream.put("/f", content);
        upstream.ignoreRange = true;
        Path part = tmp.resolve("f.part");
        Files.write(part, Arrays.copyOf(content, 50_000));

        new HttpPieceSource(HttpPieceSource.defaultClient(), uri).fetchInto(part, n -> {});

        assertThat(Files.readAllBytes(part)).isEqualTo(content);
    }

    @Test
    void completePartialFileIsLeftAsItIs() throws Exception {
        URI uri = upstream.put("/f", content);
        Path part = tmp.resolve("f.part");
        Files.write(part, content);

        new HttpPieceSource(HttpPieceSource.defaultClient(), uri).fetchInto(part, n -> {});

        assertThat(Files.readAllBytes(part)).isEqualTo(content);
        assertThat(upstream.bytesServed.get()).isZero();
    }

    @Test
    void missingFileIsAnErrorNamingTheUrlWithoutCredentials() {
        URI uri = URI.create(upstream.put("/f", content)
                .toString()
                .replace("http://", "http://user:secret@")
                .replace("/f", "/missing"));
        HttpPieceSource source = new HttpPieceSource(HttpPieceSource.defaultClient(), uri);
        assertThatThrownBy(() -> source.fetchInto(tmp.resolve("m.part"), n -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageNotContaining("secret");
        assertThat(source.describe()).doesNotContain("secret").endsWith("/missing");
    }
}
