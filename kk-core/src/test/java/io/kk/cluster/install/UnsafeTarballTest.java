package io.kk.cluster.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release tarballs (containerd, cni, crictl, helm...) are unpacked whole by tar on every host
 * before kk installs the files it picked: an entry that could land or point outside is refused on
 * the control machine, before anything is uploaded.
 */
class UnsafeTarballTest {
    @TempDir
    Path tmp;

    interface Entries {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    private Path tgz(Entries entries) throws IOException {
        Path out = tmp.resolve("containerd-1.7.13-linux-amd64.tar.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(out));
                TarArchiveOutputStream t = new TarArchiveOutputStream(os)) {
            entries.write(t);
        }
        return out;
    }

    private static void file(TarArchiveOutputStream t, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
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

    private void assertRefused(Path tarball, String entry, String why) {
        assertThatThrownBy(() -> FileInstall.fromTarball(tarball, n -> n.startsWith("bin/"), "/usr/local/bin"))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(tarball + ": refusing entry " + entry + ": " + why);
    }

    @Test
    void aPickedBinaryReplacedByASymlinkToASecretIsRefused() throws IOException {
        // tar lets the last entry win: the checked binary would become a link to /etc/shadow, installed 0755
        Path t = tgz(t2 -> {
            file(t2, "bin/containerd", "binary");
            link(t2, "bin/containerd", "/etc/shadow", TarArchiveEntry.LF_SYMLINK);
        });
        assertRefused(t, "bin/containerd", "a second entry of this name");
    }

    @Test
    void entriesOutsideTheFolderAreRefusedEvenWhenNotPicked() throws IOException {
        assertRefused(tgz(t -> file(t, "../../etc/cron.d/evil", "x")), "../../etc/cron.d/evil", "path escapes");
        assertRefused(tgz(t -> file(t, "/etc/cron.d/evil", "x")), "/etc/cron.d/evil", "absolute path");
        assertRefused(
                tgz(t -> link(t, "doc/link", "../../../root", TarArchiveEntry.LF_SYMLINK)),
                "doc/link",
                "symlink to ../../../root, which leads outside");
        assertRefused(
                tgz(t -> {
                    link(t, "bin", "/usr/local/bin", TarArchiveEntry.LF_SYMLINK);
                    file(t, "bin/containerd", "x");
                }),
                "bin",
                "symlink to the absolute path /usr/local/bin");
        assertRefused(
                tgz(t -> link(t, "bin/ctr", "/etc/passwd", TarArchiveEntry.LF_LINK)),
                "bin/ctr",
                "hard link to /etc/passwd: absolute path");
    }

    @Test
    void aPlainReleaseTarballIsAccepted() throws IOException {
        Path t = tgz(t2 -> {
            file(t2, "bin/containerd", "binary");
            file(t2, "bin/ctr", "ctr");
            link(t2, "bin/containerd-shim", "containerd", TarArchiveEntry.LF_SYMLINK);
        });
        FileInstall.Plan plan = FileInstall.fromTarball(t, n -> n.startsWith("bin/"), "/usr/local/bin");
        assertThat(plan.files())
                .extracting(FileInstall.Placed::remotePath)
                .containsExactly("/usr/local/bin/containerd", "/usr/local/bin/ctr");
    }
}
