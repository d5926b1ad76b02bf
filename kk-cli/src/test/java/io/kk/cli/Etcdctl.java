package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.testkit.testbed.TestbedNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's etcdctl on the control machine (the root namespace) against testbed etcd members, with
 * the admin certificate of {@code admin} that kk keeps in its work dir ({@code pki/etcd}).
 */
record Etcdctl(Path workDir, String admin) {

    /** etcdctl against {@code members}; asserts it exits 0 and returns its output. */
    String run(List<TestbedNode> members, String... args) throws Exception {
        List<String> endpoints = new ArrayList<>();
        for (TestbedNode n : members) {
            endpoints.add(endpoint(n));
        }
        return run(String.join(",", endpoints), args);
    }

    /** etcdctl against the one member on {@code node}. */
    String at(TestbedNode node, String... args) throws Exception {
        return run(endpoint(node), args);
    }

    /** {@code endpoint health} against {@code members}: asserts each answers healthy; returns the output. */
    String assertHealthy(List<TestbedNode> members) throws Exception {
        String health = run(members, "endpoint", "health");
        for (TestbedNode n : members) {
            assertThat(health).contains(endpoint(n) + " is healthy");
        }
        return health;
    }

    private static String endpoint(TestbedNode n) {
        return "https://" + n.address() + ":2379";
    }

    private String run(String endpoints, String... args) throws Exception {
        Path pki = workDir.resolve("pki/etcd");
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/etcdctl",
                "--endpoints=" + endpoints,
                "--cacert=" + pki.resolve("ca.pem"),
                "--cert=" + pki.resolve("admin-" + admin + ".pem"),
                "--key=" + pki.resolve("admin-" + admin + "-key.pem")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }
}
