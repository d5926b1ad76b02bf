package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import refuses what would escape its dir, and reads KubeKey's own artifacts. */
class ArtifactImportTest {
    @TempDir
    Path tmp;

    final ArtifactReader reader = new ArtifactReader(e -> {});

    @Test
    void dotDotEntryIsRefused() throws IOException {
        assertRefused(tar(t -> file(t, "kube/ok", "fine"), t -> file(t, "../evil", "x")), "../evil");
    }

    @Test
    void absoluteEntryIsRefused() throws IOException {
        assertRefused(tar(t -> file(t, "/tmp/kk-evil-" + ProcessHandle.current().pid(), "x")), "absolute");
    }

    @Test
    void symlinkPointingOutIsRefused() throws IOException {
        assertRefused(tar(t -> link(t, "images", "../../outside", TarArchiveEntry.LF_SYMLINK)), "outside");
        assertRefused(tar(t -> link(t, "images", "/etc", TarArchiveEntry.LF_SYMLINK)), "absolute");
    }

    @Test
    void hardLinkPointingOutIsRefused() throws IOException {
        assertRefused(tar(t -> link(t, "kube/kubeadm", "../outside", TarArchiveEntry.LF_LINK)), "..");
    }

    @Test
    void fileThroughALinkThatLeadsOutIsRefused() throws IOException {
        // A link already in the work dir (not from the artifact) that leads out is not followed.
        Path dir = tmp.resolve("kubekey");
        Files.createDirectories(dir);
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("kube"), tmp.resolve("outside"));
        Path art = tar(t -> file(t, "kube/kubeadm", "x"));
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("through a link");
        assertThat(tmp.resolve("outside/kubeadm")).doesNotExist();
    }

    @Test
    void aSymlinkLeadingOutThroughAnEarlierSymlinkIsRefusedAndNoLinkPointsOut() throws IOException {
        // sub/s -> .. is the root itself (inside); t -> sub/s/.. reads as "sub" but leads to the root's parent
        Path dir = tmp.resolve("kubekey");
        Path art = tar(
                t -> file(t, "sub/ok", "fine"),
                t -> link(t, "sub/s", "..", TarArchiveEntry.LF_SYMLINK),
                t -> link(t, "t", "sub/s/..", TarArchiveEntry.LF_SYMLINK),
                t -> file(t, "t/evil", "x"));
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(art + ": refusing entry t: symlink to sub/s/.., which leads outside");
        assertThat(dir.resolve("t")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void aFileWrittenThroughAnEarlierSymlinkIsRefused() throws IOException {
        Path dir = tmp.resolve("kubekey");
        Path art = tar(
                t -> file(t, "kube/v1/kubeadm", "bin"),
                t -> link(t, "kube/latest", "v1", TarArchiveEntry.LF_SYMLINK),
                t -> file(t, "kube/latest/kubeadm", "replaced"));
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(
                        "refusing entry kube/latest/kubeadm: its path goes through the symlink" + " kube/latest -> v1");
        assertThat(dir.resolve("kube/v1/kubeadm")).hasContent("bin");
    }

    @Test
    void aSecondEntryOfTheSameNameIsRefused() throws IOException {
        Path dir = tmp.resolve("kubekey");
        Path art = tar(t -> file(t, "kube/kubeadm", "checked"), t -> file(t, "kube/kubeadm", "swapped"));
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("refusing entry kube/kubeadm: a second entry of this name");
        assertThat(reader.verify(art, null).mismatches())
                .anySatisfy(m -> assertThat(m.toString()).contains("a second entry of this name"));
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        for (byte type : new byte[] {TarArchiveEntry.LF_CHR, TarArchiveEntry.LF_BLK, TarArchiveEntry.LF_FIFO}) {
            Path dir = tmp.resolve("kubekey-" + type);
            Path art = tar(t -> {
                TarArchiveEntry e = new TarArchiveEntry("kube/dev", type, true);
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            });
            assertThatThrownBy(() -> reader.importTo(art, dir))
                    .isInstanceOf(KkException.class)
                    .hasMessageContaining(art + ": refusing entry kube/dev: a device, FIFO or other special file");
            assertThat(dir.resolve("kube/dev")).doesNotExist();
        }
    }

    @Test
    void aHardLinkToAFileNotBeforeItIsRefused() throws IOException {
        assertRefused(
                tar(t -> link(t, "kube/kubeadm", "etc/shadow", TarArchiveEntry.LF_LINK)),
                "which is no regular file before it");
    }

    @Test
    void linksInsideTheDirAreKept() throws IOException {
        Path art = tar(
                t -> file(t, "kube/v1/amd64/kubeadm", "bin"),
                t -> link(t, "kube/latest", "v1", TarArchiveEntry.LF_SYMLINK));
        reader.importTo(art, tmp.resolve("kubekey"));
        assertThat(tmp.resolve("kubekey/kube/latest/amd64/kubeadm")).hasContent("bin");
    }

    @Test
    void fileNotMatchingKkIndexIsReportedAndNotImported() throws IOException {
        String hello = "hello\n";
        ArtifactIndex index = new ArtifactIndex(
                1,
                "test",
                "2026-01-01T00:00:00Z",
                "",
                List.of(new ArtifactIndex.IndexedFile(
                        "kube/v1/amd64/kubeadm", 6, Hashing.sha256Hex(hello.getBytes(StandardCharsets.UTF_8)))),
                List.of());
        byte[] json = index.toJson();
        byte[] sums = index.sha256Sums(Hashing.sha256Hex(json));
        Path art = tar(
                t -> file(t, ArtifactIndex.PATH, new String(json, StandardCharsets.UTF_8)),
                t -> file(t, ArtifactIndex.SUMS_PATH, new String(sums, StandardCharsets.UTF_8)),
                t -> file(t, "kube/v1/amd64/kubeadm", "hellp\n"));

        VerifyReport report = reader.verify(art, null);
        assertThat(report.mismatches()).hasSize(1);
        assertThat(report.mismatches().get(0).path()).isEqualTo("kube/v1/amd64/kubeadm");
        assertThat(report.mismatches().get(0).problem())
                .contains(Hashing.sha256Hex(hello.getBytes(StandardCharsets.UTF_8)))
                .contains(Hashing.sha256Hex("hellp\n".getBytes(StandardCharsets.UTF_8)));

        Path dir = tmp.resolve("kubekey");
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("kube/v1/amd64/kubeadm does not match");
        assertThat(dir.resolve("kube/v1/amd64/kubeadm")).doesNotExist();
        assertThat(dir.resolve("kube/v1/amd64/.kubeadm.kkpart")).doesNotExist();
    }

    @Test
    void kubeKeyGzipArtifactIsInspectedVerifiedAndImported() throws Exception {
        Path src = tmp.resolve("artifact");
        byte[] blob = "layer content".getBytes(StandardCharsets.UTF_8);
        String hex = Hashing.sha256Hex(blob);
        write(src.resolve("kube/v1.23.10/amd64/kubeadm"), "kubeadm binary");
        write(src.resolve("kube/v1.23.10/amd64/kubelet"), "kubelet binary");
        write(src.resolve("etcd/v3.4.13/amd64/etcd-v3.4.13-linux-amd64.tar.gz"), "etcd tarball");
        write(src.resolve("registry/harbor/v2.5.3/amd64/harbor-offline-installer-v2.5.3.tgz"), "harbor");
        write(src.resolve("images/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        write(src.resolve("images/blobs/sha256/" + hex), "layer content");
        write(
                src.resolve("images/index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:" + hex
                        + "\",\"annotations\":{\"org.opencontainers.image.ref.name\":\"calico:cni:v3.23.2-amd64\"}}]}");
        Path art = tmp.resolve("kubekey-artifact.tar.gz");
        Tools.run(tmp, "tar", "-czf", art.toString(), "-C", src.toString(), ".");

        ArtifactContents contents = reader.inspect(art);
        assertThat(contents.kkIndex()).isFalse();
        assertThat(contents.compression()).isEqualTo(Compression.GZIP);
        assertThat(contents.components())
                .extracting(c -> c.name() + " " + c.version() + " " + c.arch() + " " + c.files())
                .containsExactly("etcd v3.4.13 amd64 1", "kube v1.23.10 amd64 2", "registry/harbor v2.5.3 amd64 1");
        assertThat(contents.images()).extracting(ImageEntry::ref).containsExactly("calico:cni:v3.23.2-amd64");
        assertThat(contents.blobs()).isEqualTo(1);

        VerifyReport report = reader.verify(art, null);
        assertThat(report.ok()).isTrue();
        assertThat(report.blobsChecked()).isEqualTo(1);

        Path dir = tmp.resolve("kubekey");
        ImportResult imported = reader.importTo(art, dir);
        assertThat(imported.kkIndex()).isFalse();
        assertThat(imported.files()).isEqualTo(7);
        assertThat(dir.resolve("kube/v1.23.10/amd64/kubeadm")).hasContent("kubeadm binary");
        assertThat(dir.resolve("images/blobs/sha256/" + hex)).hasBinaryContent(blob);

        // A blob whose content does not match its name is caught by verify and import.
        write(src.resolve("images/blobs/sha256/" + hex), "tampered");
        Path bad = tmp.resolve("bad.tar.gz");
        Tools.run(tmp, "tar", "-czf", bad.toString(), "-C", src.toString(), ".");
        VerifyReport badReport = reader.verify(bad, null);
        assertThat(badReport.mismatches())
                .extracting(VerifyReport.Mismatch::path)
                .containsExactly("images/blobs/sha256/" + hex);
        Path dir2 = tmp.resolve("kubekey2");
        assertThatThrownBy(() -> reader.importTo(bad, dir2)).hasMessageContaining("images/blobs/sha256/" + hex);
        assertThat(dir2.resolve("images/blobs/sha256/" + hex)).doesNotExist();
    }

    @Test
    void notAnArtifactIsAClearError() throws IOException {
        assertThatThrownBy(() -> reader.inspect(tmp.resolve("missing.tar.zst")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("no such artifact");
    }

    private void assertRefused(Path art, String why) throws IOException {
        Path dir = tmp.resolve("kubekey-" + System.nanoTime());
        assertThatThrownBy(() -> reader.importTo(art, dir))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("refusing entry")
                .hasMessageContaining(why);
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("evil", "outside");
        }
        assertThat(Path.of("/tmp/kk-evil-" + ProcessHandle.current().pid())).doesNotExist();
    }

    interface EntryWriter {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private Path tar(EntryWriter... entries) throws IOException {
        Path out = tmp.resolve("crafted-" + System.nanoTime() + ".tar");
        try (OutputStream os = Files.newOutputStream(out);
                TarArchiveOutputStream t = new TarArchiveOutputStream(os)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (EntryWriter e : entries) {
                e.write(t);
            }
        }
        return out;
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        e.setModTime(Instant.EPOCH.toEpochMilli());
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream t, String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
