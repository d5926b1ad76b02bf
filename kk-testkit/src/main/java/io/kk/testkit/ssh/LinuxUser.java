package io.kk.testkit.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real local user with a password who may use sudo with that password (as KubeKey's non-root
 * hosts are set up). Needs root. Made fresh (a leftover of a crashed run is removed first) and
 * removed on close.
 */
public final class LinuxUser implements AutoCloseable {
    private final String name;
    private final Path sudoers;

    private LinuxUser(String name, Path sudoers) {
        this.name = name;
        this.sudoers = sudoers;
    }

    public static LinuxUser createSudoer(String name, String password) throws IOException {
        remove(name);
        TestKeys.run(List.of("useradd", "-m", "-s", "/bin/bash", name));
        chpasswd(name + ":" + password);
        Path sudoers = Path.of("/etc/sudoers.d/" + name);
        Files.writeString(sudoers, name + " ALL=(ALL:ALL) ALL\n");
        Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
        return new LinuxUser(name, sudoers);
    }

    private static void chpasswd(String line) throws IOException {
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("chpasswd failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void remove(String name) throws IOException {
        Files.deleteIfExists(Path.of("/etc/sudoers.d/" + name));
        boolean exists = Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        if (exists) {
            TestKeys.run(List.of("userdel", "-f", "-r", name));
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(sudoers);
        remove(name);
    }
}
