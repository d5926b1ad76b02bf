package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.artifact.ArtifactPiece;
import io.kk.artifact.ArtifactWriter;
import io.kk.artifact.ExportPlan;
import io.kk.artifact.ImageEntry;
import io.kk.artifact.PieceSource;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCommandsTest {
    @TempDir
    Path tmp;

    Path artifact;
    byte[] iso;

    @BeforeEach
    void export() throws Exception {
        iso = new byte[400_000];
        new Random(7).nextBytes(iso);
        Path isoFile = tmp.resolve("ubuntu.iso");
        Files.write(isoFile, iso);
        byte[] blob = "a layer".getBytes(StandardCharsets.UTF_8);
        String blobHex = sha256(blob);
        List<ArtifactPiece> pieces = List.of(
                ArtifactPiece.generated("kube/v1.28.2/amd64/kubeadm", "kubeadm".getBytes(StandardCharsets.UTF_8)),
                ArtifactPiece.file(
                        "repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso",
                        iso.length,
                        sha256(iso),
                        PieceSource.file(isoFile)),
                ArtifactPiece.generated("images/oci-layout", "{}".getBytes(StandardCharsets.UTF_8)),
                ArtifactPiece.generated("images/blobs/sha256/" + blobHex, blob));
        ExportPlan plan = new ExportPlan(
                Instant.parse("2026-01-02T03:04:05Z"),
                "0.1.0",
                "kind: Manifest\n",
                pieces,
                List.of(new ImageEntry(
                        "calico:cni:v3.26.1-amd64",
                        "docker.io/calico/cni:v3.26.1",
                        "linux/amd64",
                        "sha256:" + blobHex)));
        artifact = tmp.resolve("artifact.tar.zst");
        new ArtifactWriter(e -> {}).export(plan, artifact, ArtifactWriter.Options.defaults());
    }

    @Test
    void inspectShowsComponentsAndImagesAsTextAndJson() throws Exception {
        KkRun text = KkRun.of("artifact", "inspect", "-a", artifact.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out())
                .contains("zstd")
                .contains("written by kk 0.1.0 at 2026-01-02T03:04:05Z")
                .containsPattern("kube\\s+v1.28.2\\s+amd64\\s+1")
                .containsPattern("repository/ubuntu\\s+22.04\\s+amd64\\s+1\\s+390.6 KiB")
                .containsPattern("docker.io/calico/cni:v3.26.1\\s+linux/amd64");

        KkRun json = KkRun.of("artifact", "inspect", "-a", artifact.toString(), "--output", "json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.path("kkIndex").asBoolean()).isTrue();
        assertThat(doc.path("components")).hasSize(2);
        assertThat(doc.path("images").get(0).path("platform").asText()).isEqualTo("linux/amd64");
    }

    @Test
    void verifyPassesThenFailsWithExitOneNamingTheEntry() throws Exception {
        KkRun ok = KkRun.of("artifact", "verify", "-a", artifact.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("OK ").contains("6 files checked").contains("1 blob digests");

        flipByteNear(artifact, Files.size(artifact) / 2);
        KkRun bad = KkRun.of("artifact", "verify", "-a", artifact.toString(), "--output", "json");
        assertThat(bad.exit()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(bad.out());
        assertThat(doc.path("ok").asBoolean()).isFalse();
        assertThat(doc.path("mismatches").get(0).path("path").asText())
                .isEqualTo("repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso");
    }

    @Test
    void importUnpacksIntoTheWorkDir() throws Exception {
        Path dir = tmp.resolve("work");
        KkRun r = KkRun.of("artifact", "import", "-a", artifact.toString(), "--dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 6 files");
        assertThat(dir.resolve("repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso"))
                .hasBinaryContent(iso);
        assertThat(dir.resolve("kk/index.json")).exists();
    }

    @Test
    void exportWarnsAboutUnknownManifestFieldsNamingFileLineAndPath() throws Exception {
        Path manifest = tmp.resolve("manifest.yaml");
        Files.writeString(
                manifest,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Manifest
                metadata: {name: typo}
                spec:
                  arches: [amd64]
                  imagess:
                  - docker.io/library/busybox:1.36
                """);
        KkRun r = KkRun.of(
                "artifact",
                "export",
                "--dry-run",
                "-m",
                manifest.toString(),
                "-o",
                tmp.resolve("a.tar.zst").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("manifest.yaml:6").contains("spec.imagess").contains("unknown field");
    }

    @Test
    void missingArtifactIsBadInput() {
        KkRun r =
                KkRun.of("artifact", "verify", "-a", tmp.resolve("nope.tar.zst").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such artifact");
    }

    private static void flipByteNear(Path file, long offset) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            b.rewind();
            ch.write(b, offset);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void createManifestFromAConfigListsItsChartAddons() throws Exception {
        Path config = Files.writeString(
                tmp.resolve("config.yaml"),
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: c}
                spec:
                  hosts:
                  - {name: n1, address: 10.0.0.1, internalAddress: 10.0.0.1, user: root, password: x}
                  roleGroups: {etcd: [n1], control-plane: [n1], worker: [n1]}
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  addons:
                  - name: nfs
                    sources:
                      chart: {name: nfs-client-provisioner, repo: "https://charts.kubesphere.io/main", version: 4.0.11}
                """);
        Path out = tmp.resolve("m.yaml");
        KkRun r = KkRun.of("create", "manifest", "-f", config.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 charts");
        assertThat(Files.readString(out))
                .contains("  charts:\n  - name: nfs-client-provisioner\n    repo: https://charts.kubesphere.io/main\n");
    }

    @Test
    void createManifestWithKubeSphereListsKubeSpheresOwnImages() throws Exception {
        Path out = tmp.resolve("ks.yaml");
        KkRun r = KkRun.of(
                "create",
                "manifest",
                "--with-kubernetes",
                "v1.26.15",
                "--with-kubesphere",
                "v3.3.0",
                "-o",
                out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out))
                .contains("- docker.io/kubesphere/ks-installer:v3.3.0\n")
                .contains("- docker.io/kubesphere/ks-apiserver:v3.3.0\n")
                .contains("- docker.io/osixia/openldap:1.3.0\n")
                .doesNotContain("jenkins");
    }
}
