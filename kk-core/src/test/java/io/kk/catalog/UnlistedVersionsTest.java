package io.kk.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.download.DownloadSource;
import io.kk.download.HttpDownloader;
import io.kk.download.TestHttpServer;
import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Versions no catalog lists, served by a local "upstream" behind kk's --download-mirror layout
 * ({@code BASE/<upstream host><upstream path>}), each with its checksum file shaped as the project
 * publishes it: a bare digest (dl.k8s.io, cri-tools), {@code <file>.sha256sum} (containerd, helm),
 * {@code <file>.sha256} with the name (CNI), one list for the release (etcd SHA256SUMS, runc
 * runc.sha256sum, Calico SHA256SUMS).
 */
class UnlistedVersionsTest {
    @TempDir
    Path root;

    private final TestHttpServer upstream = new TestHttpServer();
    private final DownloadSource mirror = DownloadSource.of(upstream.base(), DownloadSource.Zone.DEFAULT);
    private final HttpDownloader downloader =
            HttpDownloader.builder().maxAttempts(2).sleeper(d -> {}).build();
    private final ComponentFetcher fetcher =
            new ComponentFetcher(downloader, new ChecksumResolver(downloader, EventSink.NONE));

    @AfterEach
    void stop() {
        upstream.close();
    }

    private static final String GH = "/github.com";

    /** Serves one component file and its project's checksum file; returns what the file holds. */
    private byte[] publish(String component, String version) {
        byte[] body = (component + " " + version + " amd64 build").getBytes(StandardCharsets.UTF_8);
        String other = sha256((component + " other file").getBytes(StandardCharsets.UTF_8));
        switch (component) {
            case "kubeadm", "kubelet", "kubectl" -> {
                String p = "/dl.k8s.io/release/" + version + "/bin/linux/amd64/" + component;
                upstream.file(p, body).text(p + ".sha256", sha256(body));
            }
            case "etcd" -> {
                String dir = GH + "/coreos/etcd/releases/download/" + version + "/";
                String file = "etcd-" + version + "-linux-amd64.tar.gz";
                upstream.file(dir + file, body)
                        .text(
                                dir + "SHA256SUMS",
                                other + "  etcd-" + version + "-darwin-amd64.zip\n" + sha256(body) + "  " + file + "\n"
                                        + other + "  etcd-" + version + "-linux-arm64.tar.gz\n");
            }
            case "containerd" -> {
                String dir = GH + "/containerd/containerd/releases/download/v" + version + "/";
                String file = "containerd-" + version + "-linux-amd64.tar.gz";
                upstream.file(dir + file, body).text(dir + file + ".sha256sum", sha256(body) + "  " + file + "\n");
            }
            case "runc" -> {
                String dir = GH + "/opencontainers/runc/releases/download/" + version + "/";
                upstream.file(dir + "runc.amd64", body)
                        .text(
                                dir + "runc.sha256sum",
                                other + "  libseccomp-2.5.5.tar.gz\n" + sha256(body) + " *runc.amd64\n" + other
                                        + "  runc.arm64\n");
            }
            case "crictl" -> {
                String dir = GH + "/kubernetes-sigs/cri-tools/releases/download/" + version + "/";
                String file = "crictl-" + version + "-linux-amd64.tar.gz";
                upstream.file(dir + file, body).text(dir + file + ".sha256", sha256(body) + "\n");
            }
            case "kubecni" -> {
                String dir = GH + "/containernetworking/plugins/releases/download/" + version + "/";
                String file = "cni-plugins-linux-amd64-" + version + ".tgz";
                upstream.file(dir + file, body).text(dir + file + ".sha256", sha256(body) + "  " + file + "\n");
            }
            case "helm" -> {
                byte[] tarball = helmTarball(body);
                String file = "/get.helm.sh/helm-" + version + "-linux-amd64.tar.gz";
                upstream.file(file, tarball)
                        .text(file + ".sha256sum", sha256(tarball) + "  helm-" + version + "-linux-amd64.tar.gz");
            }
            case "calicoctl" -> {
                String dir = GH + "/projectcalico/calico/releases/download/" + version + "/";
                upstream.file(dir + "calicoctl-linux-amd64", body)
                        .text(
                                dir + "SHA256SUMS",
                                other + "  calicoctl-darwin-amd64\n" + sha256(body) + "  calicoctl-linux-amd64\n"
                                        + other + "  tigera-operator-" + version + ".tgz\n");
            }
            case "k3s" -> {
                String dir = GH + "/k3s-io/k3s/releases/download/" + version + "+k3s1/";
                upstream.file(dir + "k3s", body)
                        .text(
                                dir + "sha256sum-amd64.txt",
                                sha256(body) + "  k3s\n" + other + "  k3s-airgap-images-amd64.tar.zst\n");
            }
            default -> throw new IllegalArgumentException(component);
        }
        return body;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "kubeadm, v1.31.13, kube/v1.31.13/amd64/kubeadm",
        "kubelet, v1.31.13, kube/v1.31.13/amd64/kubelet",
        "kubectl, v1.31.13, kube/v1.31.13/amd64/kubectl",
        "etcd, v3.5.21, etcd/v3.5.21/amd64/etcd-v3.5.21-linux-amd64.tar.gz",
        "containerd, 1.7.27, containerd/1.7.27/amd64/containerd-1.7.27-linux-amd64.tar.gz",
        "runc, v1.2.6, runc/v1.2.6/amd64/runc.amd64",
        "crictl, v1.32.0, crictl/v1.32.0/amd64/crictl-v1.32.0-linux-amd64.tar.gz",
        "kubecni, v1.6.2, cni/v1.6.2/amd64/cni-plugins-linux-amd64-v1.6.2.tgz",
        "helm, v3.17.3, helm/v3.17.3/amd64/helm",
        "calicoctl, v3.29.3, cni/v3.29.3/amd64/calicoctl",
        "k3s, v1.30.4, kube/v1.30.4/amd64/k3s",
    })
    void anUnlistedVersionIsFetchedAndVerifiedByItsProjectsChecksumFile(
            String component, String version, String artifactPath) throws IOException {
        byte[] body = publish(component, version);
        ComponentFile file = Catalog.builtin().resolve(component, version, "amd64", mirror);
        assertThat(file.catalogSha256()).as("the catalog must not list it").isEmpty();

        FetchedComponent got = fetcher.fetch(file, root, Map.of(), EventSink.NONE);

        assertThat(got.path()).isEqualTo(root.resolve(artifactPath));
        assertThat(Files.readAllBytes(got.path())).isEqualTo(body);
        assertThat(got.checksum().source()).isEqualTo(Checksum.Source.RELEASE_CHECKSUM_FILE);
        assertThat(got.checksum().origin()).startsWith(upstream.base());
        assertThat(files()).containsExactly(root.resolve(artifactPath));
    }

    @Test
    void aMissingChecksumFileNamesTheComponentAndTheWayToPinIt() throws IOException {
        byte[] body = "kubeadm".getBytes(StandardCharsets.UTF_8);
        upstream.file("/dl.k8s.io/release/v1.31.13/bin/linux/amd64/kubeadm", body);
        ComponentFile file = Catalog.builtin().resolve("kubeadm", "v1.31.13", "amd64", mirror);

        assertThatThrownBy(() -> fetcher.fetch(file, root, Map.of(), EventSink.NONE))
                .isInstanceOfSatisfying(KkException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage())
                            .contains("kubeadm v1.31.13 amd64", "kubeadm.sha256 was not found (HTTP 404)");
                    assertThat(e.hint())
                            .contains("spec.checksums: {\"kube/v1.31.13/amd64/kubeadm\": \"sha256:<hex>\"}");
                });
        assertThat(files()).isEmpty();

        // and the way named works
        FetchedComponent got = fetcher.fetch(
                file, root, Map.of("kube/v1.31.13/amd64/kubeadm", "sha256:" + sha256(body)), EventSink.NONE);
        assertThat(got.checksum().source()).isEqualTo(Checksum.Source.MANIFEST);
    }

    @Test
    void aChecksumMismatchIsRefusedAndKeepsNothing() throws IOException {
        String dir = GH + "/containerd/containerd/releases/download/v1.7.27/";
        String name = "containerd-1.7.27-linux-amd64.tar.gz";
        upstream.file(dir + name, "tampered".getBytes(StandardCharsets.UTF_8))
                .text(dir + name + ".sha256sum", sha256("genuine".getBytes(StandardCharsets.UTF_8)) + "  " + name);
        ComponentFile file = Catalog.builtin().resolve("containerd", "1.7.27", "amd64", mirror);

        assertThatThrownBy(() -> fetcher.fetch(file, root, Map.of(), EventSink.NONE))
                .isInstanceOfSatisfying(KkException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FAILED);
                    assertThat(e.getMessage()).contains("sha256 mismatch", name);
                });
        assertThat(files()).isEmpty();
    }

    @Test
    void aVersionNeverPublishedIsCalledSoAndLeavesNoFile() throws IOException {
        ComponentFile file = Catalog.builtin().resolve("etcd", "v3.5.99", "amd64", mirror);

        assertThatThrownBy(() -> fetcher.fetch(file, root, Map.of(), EventSink.NONE))
                .isInstanceOfSatisfying(KkException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage())
                            .startsWith("etcd v3.5.99 (amd64) is not published: " + upstream.base())
                            .contains("etcd-v3.5.99-linux-amd64.tar.gz answered HTTP 404");
                    assertThat(e.hint()).contains("check the version of etcd", "the mirror maps https://github.com");
                });
        assertThat(files()).isEmpty();
    }

    @Test
    void aPinnedVersionThatDoesNotExistIsCalledSoAndLeavesNoPartialFile() throws IOException {
        ComponentFile file = Catalog.builtin().resolve("runc", "v1.2.99", "amd64", mirror);
        // a partial left by an earlier cut download of the same name
        Path part = root.resolve("runc/v1.2.99/amd64/runc.amd64.part");
        Files.createDirectories(part.getParent());
        Files.writeString(part, "half");

        assertThatThrownBy(() ->
                        fetcher.fetch(file, root, Map.of("runc.amd64", "sha256:" + "ab".repeat(32)), EventSink.NONE))
                .isInstanceOfSatisfying(KkException.class, e -> assertThat(e.getMessage())
                        .startsWith("runc v1.2.99 (amd64) is not published"));
        assertThat(files()).isEmpty();
    }

    @Test
    void calicoBeforeItsSha256sumsIsPinnedInSpecChecksums() throws IOException {
        byte[] body = "calicoctl 3.22".getBytes(StandardCharsets.UTF_8);
        upstream.file(GH + "/projectcalico/calico/releases/download/v3.22.9/calicoctl-linux-amd64", body);
        ComponentFile file = Catalog.builtin().resolve("calicoctl", "v3.22.9", "amd64", mirror);

        assertThatThrownBy(() -> fetcher.fetch(file, root, Map.of(), EventSink.NONE))
                .hasMessageContaining("calicoctl v3.22.9 amd64")
                .hasMessageContaining("SHA256SUMS was not found (HTTP 404)");
        FetchedComponent got = fetcher.fetch(file, root, Map.of("calicoctl", "sha256:" + sha256(body)), EventSink.NONE);
        assertThat(Files.readAllBytes(got.path())).isEqualTo(body);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static byte[] helmTarball(byte[] helm) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry entry = new TarArchiveEntry("linux-amd64/helm");
            entry.setSize(helm.length);
            tar.putArchiveEntry(entry);
            tar.write(helm);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
