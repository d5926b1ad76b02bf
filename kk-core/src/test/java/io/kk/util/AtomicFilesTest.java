package io.kk.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void replacesTheFileWholeAndOverwritesATempFileACrashLeft() throws Exception {
        Path f = tmp.resolve("config.yaml");
        AtomicFiles.writeString(f, "old\n");
        // a crash between writing the temp file and the rename left this behind
        Files.writeString(AtomicFiles.tempFor(f.toAbsolutePath()), "half of some ne");
        AtomicFiles.writeString(f, "new text\n");
        assertThat(Files.readString(f)).isEqualTo("new text\n");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.yaml");
        }
    }

    @Test
    void aPrivateFileIsOwnerOnlyAndAFailedWriteKeepsTheOldFile() throws Exception {
        Path key = tmp.resolve("ca-key.pem");
        AtomicFiles.writePrivate(key, "secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");

        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Path target = dir.resolve("f");
        AtomicFiles.writeString(target, "kept\n");
        // the rename cannot replace a non-empty directory: the write fails, the old file is untouched
        Path blocker = Files.createDirectories(tmp.resolve("blocked"));
        Files.writeString(blocker.resolve("x"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(blocker, "y")).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("kept\n");
        assertThat(AtomicFiles.tempFor(blocker.toAbsolutePath())).doesNotExist();
    }
}
