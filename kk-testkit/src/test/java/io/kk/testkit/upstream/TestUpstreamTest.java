package io.kk.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestUpstreamTest {

    @Test
    void servesReleaseTarballsWithTheirPublishedChecksumsAndRanges(@TempDir Path dir) throws Exception {
        try (TestUpstream up = TestUpstream.start(dir)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = up.mirrorUrl() + "/github.com/coreos/etcd/releases/download/" + TestUpstream.ETCD + "/";
            String sums = http.send(
                            HttpRequest.newBuilder(URI.create(base + "SHA256SUMS"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String file = "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz";
            assertThat(sums).isEqualTo(up.sha256(file) + "  " + file + "\n");

            HttpResponse<byte[]> part = http.send(
                    HttpRequest.newBuilder(URI.create(base + file))
                            .header("Range", "bytes=10-19")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).hasSize(10);

            // the tarball holds Debian's real etcd under the release's directory name
            Path tgz = dir.resolve("etcd.tgz");
            Files.write(
                    tgz,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + file))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray())
                            .body());
            Process tar = new ProcessBuilder("tar", "-tzf", tgz.toString()).start();
            assertThat(new String(tar.getInputStream().readAllBytes()))
                    .contains("etcd-" + TestUpstream.ETCD + "-linux-amd64/etcd\n")
                    .contains("etcdctl");
            assertThat(up.requests()).hasSize(3);
        }
    }
}
