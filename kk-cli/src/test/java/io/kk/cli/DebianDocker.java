package io.kk.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's docker.io package (dockerd 20.10) for the docker runtime and cri-migrate ITs. bin/test-all
 * downloads it once into {@link #DEBS} and never installs it on this machine (its service would
 * rewrite the host's iptables); tests unpack it and copy binaries into testbed nodes.
 */
final class DebianDocker {
    static final Path DEBS = Path.of("/var/cache/kk-testbed/debs");

    private DebianDocker() {}

    /** The downloaded .deb; a missing one fails the test (bin/test-all fetches it). */
    static Path deb() throws IOException {
        try (Stream<Path> files = Files.list(DEBS)) {
            return files.filter(f -> f.getFileName().toString().startsWith("docker.io_")
                            && f.toString().endsWith(".deb"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no docker.io .deb in " + DEBS + ": run bin/test-all"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AssertionError("no " + DEBS + ": run bin/test-all", e);
        }
    }

    /** The package's files unpacked under {@code into} (usr/sbin/dockerd, lib/systemd/system/...). */
    static Path unpack(Path into) throws Exception {
        Process p = new ProcessBuilder("dpkg-deb", "-x", deb().toString(), into.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("dpkg-deb -x failed: " + out);
        }
        return into;
    }
}
