package io.kk.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's words for a failed file operation (as it throws them on Linux) become kk's: the kind,
 * the user's path rather than kk's temp file, and a hint. The read-only and disk-full cases are
 * driven for real through the CLI in OutputPathsIT (tmpfs mounts need root).
 */
class FileErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void readOnlyFileSystemNamesTheUsersFileNotTheTempFile() {
        Path out = tmp.resolve("c.yaml");
        KkException e = FileErrors.writing(
                out,
                "-f",
                new FileSystemException(tmp.resolve(".c.yaml.kktmp").toString(), null, "Read-only file system"));

        assertThat(e.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(e.getMessage()).isEqualTo("cannot write " + out + ": " + tmp + " is on a read-only file system");
        assertThat(e.getMessage() + e.hint()).doesNotContain("kktmp");
        assertThat(e.hint()).contains("-f");
    }

    @Test
    void diskFullSaysSoAndWhereToLook() {
        Path out = tmp.resolve("manifest.yaml");
        KkException e = FileErrors.writing(out, "-o", new IOException("No space left on device"));

        assertThat(e.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(e.getMessage()).contains("no space left on the device holding " + tmp);
        assertThat(e.hint()).contains("df -h " + tmp).contains("-o");
    }

    @Test
    void permissionDeniedIsTheEnvironment() {
        KkException read = FileErrors.reading(
                tmp.resolve("c.yaml"), "-f", "the Cluster config", new AccessDeniedException(tmp + "/c.yaml"));
        KkException write =
                FileErrors.writing(tmp.resolve("c.yaml"), "-f", new AccessDeniedException(tmp + "/.c.yaml.kktmp"));

        assertThat(read.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(read.getMessage()).isEqualTo("permission denied reading " + tmp.resolve("c.yaml"));
        assertThat(write.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(write.getMessage()).contains("permission denied in " + tmp);
    }

    @Test
    void readingADirectoryOrAMissingFileIsBadInput() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        KkException isDir = FileErrors.reading(dir, "-m", "the Manifest", new IOException("Is a directory"));
        KkException missing = FileErrors.reading(
                tmp.resolve("x.yaml"), "-m", "the Manifest", new NoSuchFileException(tmp + "/x.yaml"));

        assertThat(isDir.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(isDir.getMessage()).isEqualTo(dir + " is a directory, not a file");
        assertThat(isDir.hint()).isEqualTo("give the Manifest itself with -m");
        assertThat(missing.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(missing.getMessage()).isEqualTo("file not found: " + tmp.resolve("x.yaml"));
    }

    @Test
    void anUnmappedFailureStillGetsWordsNotAClassName() {
        KkException e = FileErrors.unexpected(
                new UncheckedIOException(new FileSystemException("/var/lib/kk/x", null, "No space left on device")));

        assertThat(e.kind()).isEqualTo(ErrorKind.ENVIRONMENT);
        assertThat(e.getMessage()).isEqualTo("/var/lib/kk/x: no space left on device");
        assertThat(e.hint()).contains("free disk space");
    }

    @Test
    void theReasonIsFoundDownTheCauseChain() {
        assertThat(FileErrors.reason(new RuntimeException(new IOException("No space left on device"))))
                .isEqualTo(FileErrors.Reason.NO_SPACE);
        assertThat(FileErrors.reason(new IOException("connection reset"))).isEqualTo(FileErrors.Reason.OTHER);
    }
}
