package io.kk.testkit.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A set of real nodes (systemd as PID 1, OpenSSH) booted from Linux namespaces on this machine by
 * {@code testbed/kk-testbed}: one run owns a private /24 (10.250.N.0/24), a fresh ed25519 key pair
 * and its nodes, and {@link #close()} removes all of them. Needs root.
 *
 * <p>Use through {@link TestbedExtension} in tests; {@link #start(int)} directly where a test needs
 * its own nodes.
 */
public final class Testbed implements AutoCloseable {

    /** Password of root and of {@link #SUDO_USER} on every node (set in the base image). */
    public static final String PASSWORD = "kk-testbed";
    /** A non-root user in group sudo whose sudo asks for {@link #PASSWORD}. */
    public static final String SUDO_USER = "kk";

    private static final Duration BASE_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SHORT_TIMEOUT = Duration.ofMinutes(1);

    private final TestbedScript script;
    private final String subnet;
    private final Path runDir;
    private final Path privateKey;
    private final List<String> scratch;
    private final List<TestbedNode> nodes = new ArrayList<>();
    private final Set<String> bootingNames = new LinkedHashSet<>();
    private final Thread shutdownHook;
    private boolean closed;

    private Testbed(TestbedScript script, String subnet, Path runDir, Path privateKey, List<String> scratch) {
        this.script = script;
        this.scratch = List.copyOf(scratch);
        this.subnet = subnet;
        this.runDir = runDir;
        this.privateKey = privateKey;
        // A JVM ended by a signal still takes its nodes down; after SIGKILL the next run's
        // removeLeftovers() does it.
        this.shutdownHook = new Thread(this::closeQuietly, "kk-testbed-teardown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Boots {@code count} nodes in parallel (node1..nodeN at 10.250.N.11...), building the base
     * image first if it is missing. On failure nothing of this run is left behind.
     */
    public static Testbed start(int count) {
        return start(count, List.of());
    }

    /**
     * As {@link #start(int)}, with {@code scratch} paths (e.g. {@code /var/lib/containerd}) that are
     * plain host directories in each node instead of part of its overlay root.
     */
    public static Testbed start(int count, List<String> scratch) {
        if (count < 1 || count > 200) {
            throw new IllegalArgumentException("node count must be 1..200, got " + count);
        }
        TestbedScript script = TestbedScript.locate();
        script.run(BASE_TIMEOUT, "base");
        Path runDir = null;
        String subnet = null;
        try {
            runDir = Files.createTempDirectory("kk-testbed-");
            Path key = runDir.resolve("id_ed25519");
            generateKey(key);
            subnet = script.run(SHORT_TIMEOUT, "subnet").strip();
        } catch (RuntimeException | IOException e) {
            if (runDir != null) {
                deleteTree(runDir);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        Testbed testbed = new Testbed(script, subnet, runDir, runDir.resolve("id_ed25519"), scratch);
        try {
            testbed.bootAll(count);
        } catch (RuntimeException e) {
            testbed.closeQuietly();
            throw e;
        }
        return testbed;
    }

    /**
     * Removes nodes and subnets of earlier runs whose JVM is gone (a crash, a kill -9). Nodes of
     * runs still alive, and nodes booted by hand, are left alone.
     */
    public static void removeLeftovers() {
        TestbedScript.locate().run(SHORT_TIMEOUT, "gc");
    }

    private void bootAll(int count) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 8), runnable -> {
            Thread thread = new Thread(runnable, "kk-testbed-boot");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<TestbedNode>> booting = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                int index = i;
                booting.add(pool.submit(() -> boot(index)));
            }
            RuntimeException failure = null;
            for (Future<TestbedNode> future : booting) {
                try {
                    TestbedNode node = future.get();
                    synchronized (nodes) {
                        nodes.add(node);
                    }
                } catch (ExecutionException e) {
                    RuntimeException cause =
                            e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while booting nodes", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            nodes.sort(Comparator.comparing(TestbedNode::address, Comparator.comparingInt(Testbed::lastOctet)));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Boots node {@code index} (1-based) at subnet.(10 + index), named after subnet and index. */
    private TestbedNode boot(int index) {
        String hostname = "node" + index;
        String name = "s" + subnet.substring(subnet.lastIndexOf('.') + 1) + "-" + hostname;
        String address = subnet + "." + (10 + index);
        // Recorded before booting: close() takes down a node even if its `up` failed halfway.
        synchronized (this) {
            bootingNames.add(name);
        }
        List<String> up = new ArrayList<>(List.of(
                "up",
                name,
                address,
                "--hostname",
                hostname,
                "--authorized-key",
                privateKey + ".pub",
                "--private-key",
                privateKey.toString()));
        for (String path : scratch) {
            up.add("--scratch");
            up.add(path);
        }
        String out = script.run(NODE_TIMEOUT, up.toArray(String[]::new));
        // "NAME ADDRESS PID1 STATE"
        String[] fields = out.strip().split("\\s+");
        long pid1 = Long.parseLong(fields[2]);
        return new TestbedNode(name, hostname, address, 22, "root", privateKey, PASSWORD, pid1);
    }

    /** The nodes, node1 first. */
    public List<TestbedNode> nodes() {
        synchronized (nodes) {
            return List.copyOf(nodes);
        }
    }

    /** Node {@code n}, 1-based as in its hostname. */
    public TestbedNode node(int n) {
        return nodes().get(n - 1);
    }

    /** This run's subnet prefix, e.g. {@code 10.250.3}; the bridge (the test JVM's side) is .1. */
    public String subnet() {
        return subnet;
    }

    /** The address of the root namespace on the nodes' bridge: where nodes reach the test JVM. */
    public String gatewayAddress() {
        return subnet + ".1";
    }

    /** The private key of this run (ed25519, OpenSSH format, no passphrase). */
    public Path privateKey() {
        return privateKey;
    }

    /** Hard stop of one node (as a power cut): its processes die, its disk state is lost. */
    public void stop(TestbedNode node) {
        script.run(SHORT_TIMEOUT, "down", node.name());
    }

    /** Boots a stopped node again, fresh from the base image, at the same name and address. */
    public TestbedNode restart(TestbedNode node) {
        stop(node);
        int index = Integer.parseInt(node.hostname().substring("node".length()));
        TestbedNode fresh = boot(index);
        synchronized (nodes) {
            nodes.replaceAll(n -> n.name().equals(fresh.name()) ? fresh : n);
        }
        return fresh;
    }

    /**
     * Runs a command inside a node without SSH (nsenter into its namespaces and root), for test
     * setup and checks that must not depend on the SSH path under test. Returns stdout; fails on
     * a non-zero exit.
     */
    public String exec(TestbedNode node, String... command) {
        String[] args = new String[command.length + 2];
        args[0] = "exec";
        args[1] = node.name();
        System.arraycopy(command, 0, args, 2, command.length);
        return script.run(SHORT_TIMEOUT, args);
    }

    /** Takes every node of this run down and releases its subnet; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        List<String> names;
        synchronized (this) {
            names = List.copyOf(bootingNames);
        }
        for (String name : names) {
            try {
                script.run(SHORT_TIMEOUT, "down", name);
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        try {
            script.run(SHORT_TIMEOUT, "release-subnet", subnet);
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        deleteTree(runDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // called from the hook itself
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("kk-testbed: teardown failed: " + e.getMessage());
        }
    }

    private static RuntimeException add(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static int lastOctet(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
    }

    private static void generateKey(Path key) throws IOException {
        Process process = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kk-testbed", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("ssh-keygen failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in ssh-keygen", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
