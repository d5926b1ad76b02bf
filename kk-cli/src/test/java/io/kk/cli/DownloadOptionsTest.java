package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.download.DownloadSource;
import io.kk.error.KkException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class DownloadOptionsTest {
    @Command(name = "fetch")
    static final class FetchCommand {
        @Mixin
        DownloadOptions download;
    }

    private static DownloadOptions parse(String... args) {
        FetchCommand command = new FetchCommand();
        new CommandLine(command).parseArgs(args);
        return command.download;
    }

    @Test
    void noFlagAndNoZoneIsUpstream() {
        assertThat(parse().source(Map.of())).isEqualTo(DownloadSource.UPSTREAM);
    }

    @Test
    void theMirrorFlagMapsUpstreamUrls() {
        DownloadSource source =
                parse("--download-mirror", "http://127.0.0.1:8080/m").source(Map.of());

        assertThat(source.mirror()).contains(URI.create("http://127.0.0.1:8080/m"));
        assertThat(source.map("https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm"))
                .isEqualTo(URI.create("http://127.0.0.1:8080/m/dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm"));
    }

    @Test
    void kkzoneCnFromTheEnvironmentSelectsChinaUrls() {
        DownloadSource source = parse().source(Map.of("KKZONE", "cn"));

        assertThat(source).isEqualTo(new DownloadSource(Optional.empty(), DownloadSource.Zone.CN));
        assertThat(source.chinaUrls()).isTrue();
        assertThat(parse().source(Map.of("KKZONE", "us")).zone()).isEqualTo(DownloadSource.Zone.DEFAULT);
    }

    @Test
    void aMirrorThatIsNotHttpIsBadInput() {
        DownloadOptions options = parse("--download-mirror", "ftp://mirror/x");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options.source(Map.of()))
                .isInstanceOf(KkException.class)
                .hasMessage("--download-mirror: 'ftp://mirror/x' is not an http(s) URL with a host");
    }
}
