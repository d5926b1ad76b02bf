package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.download.DownloadSource;
import io.kk.download.FetchResult;
import io.kk.download.HttpDownloader;
import io.kk.download.TestHttpServer;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentFetcherTest {
    private static final byte[] HELM = "#!/bin/sh\necho helm\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KUBEADM = "kubeadm binary".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    private final TestHttpServer mirror = new TestHttpServer();
    private final DownloadSource source = DownloadSource.of(mirror.base(), DownloadSource.Zone.DEFAULT);
    private final HttpDownloader downloader =
            HttpDownloader.builder().maxAttempts(2).sleeper(d -> {}).build();
    private final ComponentFetcher fetcher =
            new ComponentFetcher(downloader, new ChecksumResolver(downloader, EventSink.NONE));

    @AfterEach
    void stop() {
        mirror.close();
    }

    @Test
    void anUnlistedKubeadmLandsAtItsKubeKeyPathVerifiedByItsReleaseChecksum() throws IOException {
        mirror.file("/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm", KUBEADM);
        mirror.text("/dl.k8s.io/release/v1.99.0/bin/linux/amd64/kubeadm.sha256", sha256(KUBEADM));
        ComponentFile kubeadm = Catalog.builtin().resolve("kubeadm", "v1.99.0", "amd64", source);

        FetchedComponent fetched = fetcher.fetch(kubeadm, root, Map.of(), EventSink.NONE);

        assertThat(fetched.path()).isEqualTo(root.resolve("kube/v1.99.0/amd64/kubeadm"));
        assertThat(Files.readAllBytes(fetched.path())).isEqualTo(KUBEADM);
        assertThat(fetched.sha256()).isEqualTo(sha256(KUBEADM));
        assertThat(fetched.checksum().source()).isEqualTo(Checksum.Source.RELEASE_CHECKSUM_FILE);
    }

    @Test
    void helmIsExtractedFromItsVerifiedTarballAndTheTarballRemoved() throws IOException {
        byte[] tarball = helmTarball("amd64", HELM);
        mirror.file("/get.helm.sh/helm-v3.99.0-linux-amd64.tar.gz", tarball);
        mirror.text(
                "/get.helm.sh/helm-v3.99.0-linux-amd64.tar.gz.sha256sum",
                sha256(tarball) + "  helm-v3.99.0-linux-amd64.tar.gz\n");
        ComponentFile helm = Catalog.builtin().resolve("helm", "v3.99.0", "amd64", source);

        FetchedComponent fetched = fetcher.fetch(helm, root, Map.of(), EventSink.NONE);

        Path binary = root.resolve("helm/v3.99.0/amd64/helm");
        assertThat(fetched.path()).isEqualTo(binary);
        assertThat(Files.readAllBytes(binary)).isEqualTo(HELM);
        assertThat(Files.isExecutable(binary)).isTrue();
        assertThat(fetched.sha256()).isEqualTo(sha256(HELM));
        assertThat(fetched.checksum().subject()).isEqualTo(Checksum.Subject.DOWNLOAD);
        assertThat(fetched.checksum().sha256()).isEqualTo(sha256(tarball));
        try (var files = Files.list(binary.getParent())) {
            assertThat(files).containsExactly(binary);
        }
    }

    @Test
    void helmCheckedByItsBinaryDigestIsSkippedTheSecondTime() throws IOException {
        mirror.file("/get.helm.sh/helm-v3.98.0-linux-arm64.tar.gz", helmTarball("arm64", HELM));
        ComponentFile helm = Catalog.builtin().resolve("helm", "v3.98.0", "arm64", source);
        Map<String, String> spec = Map.of("helm/v3.98.0/arm64/helm", "sha256:" + sha256(HELM));

        FetchedComponent first = fetcher.fetch(helm, root, spec, EventSink.NONE);
        int requests = mirror.requests().size();
        FetchedComponent second = fetcher.fetch(helm, root, spec, EventSink.NONE);

        assertThat(first.outcome()).isEqualTo(FetchResult.Outcome.DOWNLOADED);
        assertThat(first.checksum().source()).isEqualTo(Checksum.Source.MANIFEST);
        assertThat(second.outcome()).isEqualTo(FetchResult.Outcome.SKIPPED);
        // The second run only asked for the release checksum file (absent), not for the tarball.
        assertThat(mirror.requests().subList(requests, mirror.requests().size()))
                .extracting(TestHttpServer.Request::path)
                .containsExactly("/get.helm.sh/helm-v3.98.0-linux-arm64.tar.gz.sha256sum");
    }

    @Test
    void aHelmBinaryWithAnotherDigestIsRefusedAndNothingKept() throws IOException {
        mirror.file("/get.helm.sh/helm-v3.98.0-linux-amd64.tar.gz", helmTarball("amd64", HELM));
        ComponentFile helm = Catalog.builtin().resolve("helm", "v3.98.0", "amd64", source);

        assertThatThrownBy(() -> fetcher.fetch(helm, root, Map.of("helm", "sha256:" + "0".repeat(64)), EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageStartingWith("sha256 mismatch for linux-amd64/helm in " + helm.url() + ": expected "
                        + "0".repeat(64) + " (spec.checksums[\"helm\"]), got " + sha256(HELM));
        try (var files = Files.list(root.resolve("helm/v3.98.0/amd64"))) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] helmTarball(String arch, byte[] helm) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            for (String[] f :
                    new String[][] {{"linux-" + arch + "/README.md", "readme"}, {"linux-" + arch + "/helm", null}}) {
                byte[] content = f[1] == null ? helm : f[1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(f[0]);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
