package io.kk.testkit.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real OpenSSH sshd (Debian package openssh-server) on a free loopback port, with its own host
 * key, config and authorized_keys, run in the foreground by the test. Needs root, as in CI. Closing
 * it ends sshd and every session process it started.
 */
public final class OpenSshServer implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private final Path log;
    private final Process process;

    private OpenSshServer(Path dir, int port, Path log, Process process) {
        this.dir = dir;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts sshd. Root may log in with a key from {@code authorizedKeys}; every user with a password
     * may log in with it.
     *
     * @param port 0 for a free port, or a port to reuse (to restart with another host key)
     */
    public static OpenSshServer start(List<String> authorizedKeys, int port) throws IOException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " is missing: install the Debian package openssh-server");
        }
        Path dir = Files.createTempDirectory("kk-sshd-");
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        TestKeys.run(List.of(
                "ssh-keygen",
                "-q",
                "-N",
                "",
                "-t",
                "ed25519",
                "-f",
                dir.resolve("host_ed25519").toString()));
        Files.writeString(dir.resolve("authorized_keys"), String.join("\n", authorizedKeys) + "\n");
        int p = port == 0 ? freePort() : port;
        Path config = dir.resolve("sshd_config");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "ListenAddress 127.0.0.1",
                        "HostKey " + dir.resolve("host_ed25519"),
                        "PidFile " + dir.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                        "StrictModes no",
                        "PermitRootLogin yes",
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication yes",
                        "KbdInteractiveAuthentication no",
                        "UsePAM no",
                        "Subsystem sftp internal-sftp",
                        "LogLevel INFO",
                        ""));
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(
                        SSHD.toString(), "-D", "-e", "-f", config.toString(), "-p", String.valueOf(p))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        OpenSshServer server = new OpenSshServer(dir, p, log, process);
        try {
            server.awaitBanner();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitBanner() throws IOException {
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited (" + process.exitValue() + "): " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] b = in.readNBytes(4);
                if (new String(b, StandardCharsets.US_ASCII).equals("SSH-")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IllegalStateException("sshd did not answer on port " + port + ": " + log());
    }

    public int port() {
        return port;
    }

    /** The server's host public key line ({@code ssh-ed25519 AAAA... comment}). */
    public String hostKeyLine() throws IOException {
        return Files.readString(dir.resolve("host_ed25519.pub")).strip();
    }

    /** sshd's log so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Logins sshd accepted so far (lines "Accepted ... for USER"). */
    public int acceptedLogins() {
        return (int) log().lines().filter(l -> l.contains("Accepted ")).count();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get();
        } catch (Exception e) {
            // it is gone or going
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
