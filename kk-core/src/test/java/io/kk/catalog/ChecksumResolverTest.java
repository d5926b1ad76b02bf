package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.download.DownloadSource;
import io.kk.download.Downloader;
import io.kk.download.FetchResult;
import io.kk.download.HttpDownloader;
import io.kk.download.TestHttpServer;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.event.EventSink;
import io.kk.event.Note;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChecksumResolverTest {
    private static final String HEX_A = "a".repeat(64);
    private static final String HEX_B = "b".repeat(64);
    private static final Catalog CATALOG = Catalog.builtin();

    private final TestHttpServer mirror = new TestHttpServer();
    private final DownloadSource source = DownloadSource.of(mirror.base() + "/mirror", DownloadSource.Zone.DEFAULT);
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final HttpDownloader downloader =
            HttpDownloader.builder().maxAttempts(2).sleeper(d -> {}).build();
    private final ChecksumResolver resolver = new ChecksumResolver(downloader, events::add);

    @AfterEach
    void stop() {
        mirror.close();
    }

    @Test
    void theCatalogComesFirstAndNeedsNoNetwork() {
        ComponentFile kubeadm = CATALOG.resolve("kubeadm", "v1.28.2", "amd64", source);
        ChecksumResolver offline = new ChecksumResolver(new NoNetwork(), EventSink.NONE);

        Checksum checksum = offline.resolve(kubeadm, Map.of("kube/v1.28.2/amd64/kubeadm", "sha256:" + HEX_A));

        assertThat(checksum.source()).isEqualTo(Checksum.Source.CATALOG);
        assertThat(checksum.sha256())
                .isEqualTo(CATALOG.sha256("kubeadm", "v1.28.2", "amd64").orElseThrow());
        assertThat(checksum.subject()).isEqualTo(Checksum.Subject.FILE);
    }

    @Test
    void anUnlistedKubernetesVersionUsesItsBareSha256FileThroughTheMirror() {
        mirror.text("/mirror/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm.sha256", HEX_A);
        ComponentFile kubeadm = CATALOG.resolve("kubeadm", "v1.99.0", "amd64", source);

        Checksum checksum = resolver.resolve(kubeadm, Map.of("kubeadm", "sha256:" + HEX_B));

        assertThat(checksum)
                .isEqualTo(new Checksum(
                        HEX_A,
                        Checksum.Source.RELEASE_CHECKSUM_FILE,
                        Checksum.Subject.FILE,
                        mirror.base() + "/mirror/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm.sha256"));
    }

    @Test
    void etcdsSha256sumsListIsSearchedForTheFile() {
        mirror.text(
                "/mirror/github.com/coreos/etcd/releases/download/v3.9.9/SHA256SUMS",
                HEX_B + "  etcd-v3.9.9-linux-arm64.tar.gz\n" + HEX_A + "  etcd-v3.9.9-linux-amd64.tar.gz\n"
                        + "c".repeat(64) + "  etcd-v3.9.9-darwin-amd64.zip\n");
        ComponentFile etcd = CATALOG.resolve("etcd", "v3.9.9", "amd64", source);

        assertThat(resolver.resolve(etcd, Map.of()).sha256()).isEqualTo(HEX_A);
    }

    @Test
    void helmsReleaseChecksumCoversTheTarballNotTheBinary() {
        mirror.text(
                "/mirror/get.helm.sh/helm-v3.99.0-linux-amd64.tar.gz.sha256sum",
                HEX_A.toUpperCase() + "  helm-v3.99.0-linux-amd64.tar.gz\n");
        ComponentFile helm = CATALOG.resolve("helm", "v3.99.0", "amd64", source);

        Checksum checksum = resolver.resolve(helm, Map.of());

        assertThat(checksum.sha256()).isEqualTo(HEX_A);
        assertThat(checksum.subject()).isEqualTo(Checksum.Subject.DOWNLOAD);
    }

    @Test
    void specChecksumsAnswerWhenTheProjectPublishesNone() {
        ComponentFile registry = CATALOG.resolve("registry", "2.99", "amd64", source);

        Checksum checksum = resolver.resolve(registry, Map.of("registry-2.99-linux-amd64.tar.gz", "sha256:" + HEX_B));

        assertThat(checksum)
                .isEqualTo(new Checksum(
                        HEX_B,
                        Checksum.Source.MANIFEST,
                        Checksum.Subject.FILE,
                        "spec.checksums[\"registry-2.99-linux-amd64.tar.gz\"]"));
        assertThat(mirror.requests()).isEmpty();
    }

    @Test
    void specChecksumsAnswerWhenTheChecksumFileIsMissing() {
        ComponentFile kubelet = CATALOG.resolve("kubelet", "v1.99.0", "arm64", source);

        Checksum checksum = resolver.resolve(kubelet, Map.of("kube/v1.99.0/arm64/kubelet", "sha256:" + HEX_B));

        assertThat(checksum.source()).isEqualTo(Checksum.Source.MANIFEST);
        assertThat(checksum.sha256()).isEqualTo(HEX_B);
        assertThat(mirror.requests())
                .extracting(TestHttpServer.Request::path)
                .containsExactly("/mirror/dl.k8s.io/release/v1.99.0/bin/linux/arm64/kubelet.sha256");
    }

    @Test
    void anUnreachableChecksumFileWarnsAndFallsBackToSpecChecksums() {
        mirror.close();
        ComponentFile crictl = CATALOG.resolve("crictl", "v1.99.0", "amd64", source);

        Checksum checksum = resolver.resolve(crictl, Map.of("crictl-v1.99.0-linux-amd64.tar.gz", "sha256:" + HEX_A));

        assertThat(checksum.source()).isEqualTo(Checksum.Source.MANIFEST);
        assertThat(events).singleElement().isInstanceOfSatisfying(Note.class, n -> {
            assertThat(n.level()).isEqualTo(Note.Level.WARN);
            assertThat(n.text()).startsWith("no checksum file for crictl v1.99.0 amd64: ");
        });
    }

    @Test
    void withNoWayLeftTheErrorNamesTheFileAndTheThreeWays() {
        ComponentFile kubeadm = CATALOG.resolve("kubeadm", "v1.99.0", "amd64", source);
        String checksumUrl = mirror.base() + "/mirror/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm.sha256";
        // published, only its checksum file is missing (with neither, it is "not published")
        mirror.text("/mirror/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm", "kubeadm");

        assertThatThrownBy(() -> resolver.resolve(kubeadm, Map.of()))
                .isInstanceOf(KkException.class)
                .hasMessage("no sha256 for kubeadm (kubeadm v1.99.0 amd64): kk's catalog does not list it, "
                        + checksumUrl + " was not found (HTTP 404), and spec.checksums has no entry for it")
                .satisfies(e -> {
                    KkException k = (KkException) e;
                    assertThat(k.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(k.hint())
                            .isEqualTo("use a version the catalog lists (kk version --show-supported-k8s for"
                                    + " Kubernetes), or make the release's checksum file reachable (directly or"
                                    + " through --download-mirror), or add to the Manifest: spec.checksums:"
                                    + " {\"kube/v1.99.0/amd64/kubeadm\": \"sha256:<hex>\"}");
                });
    }

    @Test
    void aChecksumFileThatDoesNotListTheFileIsNoAnswer() {
        mirror.text(
                "/mirror/github.com/opencontainers/runc/releases/download/v1.9.9/runc.sha256sum",
                HEX_A + "  runc.arm64\n" + HEX_B + "  runc.ppc64le\n");
        mirror.text("/mirror/github.com/opencontainers/runc/releases/download/v1.9.9/runc.amd64", "runc");
        ComponentFile runc = CATALOG.resolve("runc", "v1.9.9", "amd64", source);

        assertThatThrownBy(() -> resolver.resolve(runc, Map.of()))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("runc.sha256sum does not list runc.amd64");
        assertThat(resolver.resolve(CATALOG.resolve("runc", "v1.9.9", "arm64", source), Map.of())
                        .sha256())
                .isEqualTo(HEX_A);
    }

    @Test
    void aMalformedSpecChecksumIsInvalidInput() {
        ComponentFile harbor = CATALOG.resolve("harbor", "v9.9.9", "amd64", source);

        assertThatThrownBy(() -> resolver.resolve(harbor, Map.of("harbor-offline-installer-v9.9.9.tgz", "md5:abc")))
                .isInstanceOf(KkException.class)
                .hasMessage("spec.checksums[\"harbor-offline-installer-v9.9.9.tgz\"]: 'md5:abc' is not"
                        + " sha256:<64 hex digits>");
    }

    /** A downloader that fails the test if anything asks it to fetch. */
    private static final class NoNetwork implements Downloader {
        @Override
        public FetchResult fetch(URI url, Path target, String expectedSha256, EventSink events) {
            throw new AssertionError("no download expected: " + url);
        }

        @Override
        public Optional<String> fetchSmall(URI url) {
            throw new AssertionError("no download expected: " + url);
        }
    }
}
