package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.testkit.iso.DebRepoIso;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk init os} on three real nodes (systemd + OpenSSH in namespaces), packages installed
 * offline from a real Debian repository ISO. The tests run in order: each builds on the nodes'
 * state after the one before, as an operator's reruns do.
 */
@TestbedNodes(count = 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitOsIT {
    static final List<String> PACKAGES = List.of("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony");

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path knownHosts;

    @BeforeAll
    static void artifactWithIso() throws Exception {
        Path iso = DebRepoIso.of(PACKAGES);
        artifactDir = dir.resolve("kubekey");
        Path target = artifactDir.resolve("repository/amd64/debian/12/debian-12-amd64.iso");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, iso);
        knownHosts = dir.resolve("known_hosts");
    }

    @Test
    @Order(1)
    void firstRunPreparesEveryNodeFromTheIso(Testbed testbed) throws Exception {
        Path config = config(testbed, "node3-marker");
        KkRun r = kk(
                "init",
                "os",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--known-hosts",
                knownHosts.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("permanently added");
        assertThat(Files.readString(knownHosts))
                .contains(testbed.node(1).address())
                .contains(testbed.node(3).address());
        for (TestbedNode n : testbed.nodes()) {
            assertThat(testbed.exec(n, "dpkg-query", "-W", "-f", "${Status} ", "socat", "conntrack", "ipset"))
                    .isEqualTo("install ok installed install ok installed install ok installed ");
            assertThat(testbed.exec(n, "cat", "/etc/hosts"))
                    .contains("# kubekey hosts BEGIN")
                    .contains(testbed.node(2).address() + "  node2.cluster.local node2");
            assertThat(testbed.exec(n, "cat", "/proc/sys/net/ipv4/ip_forward").strip())
                    .isEqualTo("1");
            assertThat(testbed.exec(n, "hostname").strip()).isEqualTo(n.hostname());
        }
        assertThat(testbed.exec(testbed.node(3), "cat", "/tmp/kk-script-ran").strip())
                .isEqualTo("node3-marker");
        // the ISO was unmounted and its temporary apt source is gone
        assertThat(testbed.exec(testbed.node(1), "sh", "-c", "grep -c iso9660 /proc/mounts || true")
                        .strip())
                .isEqualTo("0");
    }

    @Test
    @Order(2)
    void secondRunChangesNothing(Testbed testbed) throws Exception {
        Path config = config(testbed, "node3-marker");
        KkRun r = kk(
                "--output",
                "json",
                "init",
                "os",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--known-hosts",
                knownHosts.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(r.out());
        for (JsonNode host : report.get("hosts")) {
            assertThat(host.get("changed").asInt()).as(host.toString()).isZero();
            assertThat(host.get("unchanged").asInt()).as(host.toString()).isPositive();
        }
    }

    @Test
    @Order(3)
    void wrongPasswordIsAClearErrorWithoutThePassword(Testbed testbed) throws Exception {
        String secret = "n0t-the-Pa55word";
        Path config = dir.resolve("wrong-password.yaml");
        Files.writeString(
                config,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: t}
                spec:
                  hosts:
                  - {name: node1, address: %s, user: root, password: "%s"}
                  roleGroups: {etcd: [node1], control-plane: [node1]}
                  kubernetes: {version: v1.28.2, proxyMode: iptables}
                """
                        .formatted(testbed.node(1).address(), secret));
        KkRun r = kk("init", "os", "-f", config.toString(), "--known-hosts", knownHosts.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err())
                .contains("node1")
                .containsIgnoringCase("authentication")
                .doesNotContain(secret);
        assertThat(r.out()).doesNotContain(secret);
    }

    @Test
    @Order(4)
    void aNodeStoppedMidRunIsNamedAndARerunFinishes(Testbed testbed) throws Exception {
        // node3's pre-install script waits, so the node is surely mid-run when it is stopped
        Path slow = config(testbed, "slow");
        CompletableFuture<KkRun> running = CompletableFuture.supplyAsync(() -> kkUnchecked(
                "init",
                "os",
                "-f",
                slow.toString(),
                "-a",
                artifactDir.toString(),
                "--known-hosts",
                knownHosts.toString()));
        TestbedNode node3 = testbed.node(3);
        waitFor(() -> testbed.exec(node3, "sh", "-c", "test -f /tmp/kk-script-started && echo yes || true")
                .strip()
                .equals("yes"));
        testbed.stop(node3);
        KkRun r = running.get(5, TimeUnit.MINUTES);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("node3").contains("failed on 1 of 3 hosts");

        // the node comes back fresh (new disk, new host key): kk refuses the changed key...
        TestbedNode fresh = testbed.restart(node3);
        Path config = config(testbed, "node3-marker");
        KkRun refused = kk(
                "init",
                "os",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--known-hosts",
                knownHosts.toString());
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err())
                .contains("node3")
                .containsIgnoringCase("host key")
                .contains(knownHosts.toString());

        // ...until the operator removes the old key as told; then the rerun finishes
        List<String> kept = Files.readAllLines(knownHosts).stream()
                .filter(l -> !l.contains(fresh.address()))
                .toList();
        Files.write(knownHosts, kept);
        KkRun rerun = kk(
                "init",
                "os",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--known-hosts",
                knownHosts.toString());
        assertThat(rerun.exit()).as(rerun.err()).isZero();
        assertThat(testbed.exec(fresh, "dpkg-query", "-W", "-f", "${Status}", "socat"))
                .isEqualTo("install ok installed");
    }

    private static Path config(Testbed testbed, String script) throws Exception {
        String bash = script.equals("slow")
                ? "touch /tmp/kk-script-started; sleep 30"
                : "echo " + script + " > /tmp/kk-script-ran";
        String hosts = KkRun.hostsYaml(testbed);
        Path file = dir.resolve("config-" + script + ".yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: testbed}
                spec:
                  hosts:
                %s  roleGroups:
                    etcd: [node1]
                    control-plane: [node1]
                    worker: ["node[2:3]"]
                  kubernetes: {version: v1.28.2, proxyMode: iptables}
                  system:
                    preInstall:
                    - {name: marker, role: worker, bash: "%s"}
                """
                        .formatted(hosts, bash));
        return file;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within 2 minutes");
    }

    private static KkRun kkUnchecked(String... args) {
        return KkRun.of(args);
    }

    private static KkRun kk(String... args) {
        return kkUnchecked(args);
    }
}
