package io.kk.testkit.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Debian {@code docker-registry} (distribution 2.8) on a free loopback port with its own temp
 * storage: plain HTTP, TLS with a fresh test CA, and optionally htpasswd (bcrypt) basic auth or
 * token auth against a {@link TokenServer} (which the caller starts and closes). Close
 * it (try-with-resources or an {@code @AfterAll}) to stop the process and delete its files; a JVM
 * shutdown hook stops it too if a test run is killed.
 */
public final class RegistryServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/docker-registry";

    private final Path dir;
    private final int port;
    private final Process process;
    private final TestCa ca;
    private final String username;
    private final String password;
    private final Thread hook;

    /**
     * What kind of registry to start.
     *
     * @param token a token server whose JWTs the registry accepts ({@code auth: token}), or null
     */
    public record Settings(boolean tls, String username, String password, TokenServer token) {
        public static Settings plain() {
            return new Settings(false, null, null, null);
        }

        public static Settings tlsOnly() {
            return new Settings(true, null, null, null);
        }

        public Settings withHtpasswd(String user, String pass) {
            return new Settings(tls, user, pass, null);
        }

        /** Token auth: the registry sends clients to {@code server}'s realm and trusts its signing cert. */
        public Settings withToken(TokenServer server) {
            return new Settings(tls, null, null, server);
        }
    }

    private RegistryServer(Path dir, int port, Process process, TestCa ca, String username, String password) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.ca = ca;
        this.username = username;
        this.password = password;
        this.hook = new Thread(process::destroyForcibly, "stop-registry-" + port);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static RegistryServer start(Settings settings) {
        try {
            Path dir = Files.createTempDirectory("kk-registry-");
            int port = freePort();
            TestCa ca = settings.tls() ? TestCa.create(dir.resolve("tls")) : null;
            StringBuilder cfg = new StringBuilder()
                    .append("version: 0.1\n")
                    .append("log: {level: error, accesslog: {disabled: true}}\n")
                    .append("storage:\n")
                    .append("  filesystem: {rootdirectory: ")
                    .append(dir.resolve("data"))
                    .append("}\n")
                    .append("  cache: {blobdescriptor: inmemory}\n")
                    .append("  delete: {enabled: true}\n")
                    .append("  maintenance: {uploadpurging: {enabled: false}}\n")
                    .append("http:\n")
                    .append("  addr: 127.0.0.1:")
                    .append(port)
                    .append("\n")
                    .append("  secret: kk-test-only\n")
                    .append("  headers: {X-Content-Type-Options: [nosniff]}\n");
            if (ca != null) {
                cfg.append("  tls: {certificate: ")
                        .append(ca.serverCert)
                        .append(", key: ")
                        .append(ca.serverKey)
                        .append("}\n");
            }
            if (settings.username() != null) {
                Path htpasswd = dir.resolve("htpasswd");
                Process p = new ProcessBuilder("htpasswd", "-Bbn", settings.username(), settings.password())
                        .redirectErrorStream(false)
                        .start();
                byte[] line = p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("htpasswd (apache2-utils) failed");
                }
                Files.write(htpasswd, line);
                cfg.append("auth:\n  htpasswd: {realm: kk-test, path: ")
                        .append(htpasswd)
                        .append("}\n");
            }
            if (settings.token() != null) {
                cfg.append("auth:\n  token:\n")
                        .append("    realm: ")
                        .append(settings.token().realm())
                        .append("\n    service: ")
                        .append(TokenServer.SERVICE)
                        .append("\n    issuer: ")
                        .append(TokenServer.ISSUER)
                        .append("\n    rootcertbundle: ")
                        .append(settings.token().rootCertBundle())
                        .append("\n");
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, cfg.toString());
            Process process = new ProcessBuilder(BINARY, "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
            RegistryServer server =
                    new RegistryServer(dir, port, process, ca, settings.username(), settings.password());
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static RegistryServer plain() {
        return start(Settings.plain());
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = Files.readString(dir.resolve("registry.log"));
                close();
                throw new IllegalStateException("docker-registry exited: " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("docker-registry did not listen on " + port + " within 20 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:<port>}, as it appears in image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return ca != null;
    }

    /** The CA certificate PEM (TLS registries only). */
    public Path caCert() {
        return ca == null ? null : ca.caCert;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The registry's storage root (to corrupt or inspect blobs in tests). */
    public Path storage() {
        return dir.resolve("data");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran already
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
