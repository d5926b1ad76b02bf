package io.kk.testkit.iso;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An offline Debian package repository on an ISO, as KubeKey's OS repository ISOs are: the
 * requested packages and everything they depend on (downloaded with the machine's apt, which
 * sees the same Debian release as the testbed nodes), a flat {@code Packages.gz} index at the
 * root, packed with genisoimage. Cached under /var/cache/kk-testbed/iso by package list.
 */
public final class DebRepoIso {
    static final Path CACHE = Path.of("/var/cache/kk-testbed/iso");

    private DebRepoIso() {}

    /** The ISO holding {@code packages} and their dependencies; built once per package list. */
    public static synchronized Path of(List<String> packages) {
        try {
            String key = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(String.join(" ", packages).getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
            Files.createDirectories(CACHE);
            Path iso = CACHE.resolve("debs-" + key + ".iso");
            if (Files.isRegularFile(iso)) {
                return iso;
            }
            Path work = Files.createTempDirectory(CACHE, "build-");
            Path debs = Files.createDirectories(work.resolve("repo"));
            Path emptyStatus = Files.writeString(work.resolve("status"), "");
            // An empty dpkg status makes apt fetch the whole dependency closure, not just what
            // this machine lacks: the nodes start from a smaller base than the machine.
            List<String> download = new ArrayList<>(List.of(
                    "apt-get",
                    "install",
                    "-y",
                    "-qq",
                    "--download-only",
                    "--no-install-recommends",
                    "-o",
                    "Dir::State::status=" + emptyStatus,
                    "-o",
                    "Dir::Cache::archives=" + debs,
                    "-o",
                    "Debug::NoLocking=1"));
            download.addAll(packages);
            if (run(download, work) != 0) {
                run(List.of("apt-get", "update", "-qq"), work);
                if (run(download, work) != 0) {
                    throw new IllegalStateException("apt-get could not download " + packages + "; see " + work);
                }
            }
            check(
                    run(List.of("bash", "-c", "dpkg-scanpackages . /dev/null > Packages && gzip -9k Packages"), debs),
                    "dpkg-scanpackages");
            Path partial = work.resolve("out.iso");
            check(
                    run(
                            List.of(
                                    "genisoimage",
                                    "-quiet",
                                    "-R",
                                    "-J",
                                    "-V",
                                    "KKDEBS",
                                    "-o",
                                    partial.toString(),
                                    debs.toString()),
                            work),
                    "genisoimage");
            Files.move(partial, iso, StandardCopyOption.ATOMIC_MOVE);
            run(List.of("rm", "-rf", work.toString()), CACHE);
            return iso;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(int code, String what) {
        if (code != 0) {
            throw new IllegalStateException(what + " failed with exit " + code);
        }
    }

    private static int run(List<String> cmd, Path dir) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("log.txt").toFile())
                    .start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
