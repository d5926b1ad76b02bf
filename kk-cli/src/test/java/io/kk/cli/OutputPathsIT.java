package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths that cannot be written, for real: a read-only file system and a full one (small
 * tmpfs mounts, so root), and Ctrl-C in the middle of a write (a real kk process stopped at a pause
 * point, then sent SIGINT). Each must end non-zero with words and a hint, and leave no file half
 * written and no temp file behind.
 */
class OutputPathsIT {
    @TempDir
    Path tmp;

    private final List<Path> mounts = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (Path m : mounts) {
            run("umount", m.toString());
        }
    }

    @Test
    void readOnlyFileSystemIsAnEnvironmentErrorNamingTheFile() throws Exception {
        Path ro = tmpfs("ro", "ro,size=64k");
        Path out = ro.resolve("config.yaml");

        KkRun r = KkRun.of("create", "config", "-f", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err())
                .contains("error: cannot write " + out + ": " + ro + " is on a read-only file system")
                .contains("hint: write to a writable file system, or give another path with -f");
        BadInputTest.assertNoJavaLeak(r.err());
    }

    @Test
    void fullDiskLeavesNeitherTheFileNorATempFile() throws Exception {
        Path small = tmpfs("small", "size=16k");
        fill(small.resolve("filler"));
        Path out = small.resolve("manifest.yaml");

        KkRun r = KkRun.of("create", "manifest", "--with-kubernetes", "v1.28.2", "-o", out.toString());

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err())
                .contains("error: cannot write " + out + ": no space left on the device holding " + small)
                .contains("hint: free space there (df -h " + small + ")");
        BadInputTest.assertNoJavaLeak(r.err());
        try (Stream<Path> s = Files.list(small)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("filler");
        }
    }

    @Test
    void ctrlCMidWriteExits130SaysWhatStateItLeftAndLeavesNoTempFile() throws Exception {
        Path out = tmp.resolve("config.yaml");
        Path marker = tmp.resolve("paused");
        Path log = tmp.resolve("kk.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dkk.pauseAt=write:config.yaml",
                "-Dkk.pauseMarker=" + marker,
                "-cp",
                System.getProperty("java.class.path"),
                "io.kk.cli.Main",
                "create",
                "config",
                "-f",
                out.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process kk = pb.start();
        started.add(kk);
        while (!Files.exists(marker)) { // the temp file is written, the rename not done
            assertThat(kk.isAlive()).as(() -> read(log)).isTrue();
            Thread.sleep(50);
        }
        assertThat(AtomicFilesTemp.of(out)).exists();

        run("kill", "-INT", Long.toString(kk.pid()));

        assertThat(kk.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kk.exitValue()).isEqualTo(130);
        assertThat(read(log))
                .contains("error: interrupted: kk create config stopped before it finished")
                .contains("hint: run the same command again");
        assertThat(out).doesNotExist();
        assertThat(AtomicFilesTemp.of(out)).doesNotExist();
    }

    /** The temp file kk writes beside a target (io.kk.util.AtomicFiles). */
    private static final class AtomicFilesTemp {
        static Path of(Path target) {
            return io.kk.util.AtomicFiles.tempFor(target);
        }
    }

    private Path tmpfs(String name, String options) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        mounts.add(dir);
        return dir;
    }

    /** Writes to {@code file} until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream o = Files.newOutputStream(file)) {
            while (true) {
                o.write(block);
                o.flush();
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + output).isZero();
    }
}
