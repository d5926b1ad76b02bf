package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create phase etcd} and {@code certs-renew} on three real nodes, each an etcd member
 * and a control plane (two members first, the third joining the running cluster), from an artifact directory holding the test upstream's etcd release
 * tarball (Debian's etcd 3.4.23) at KubeKey's path. The tests run in order, each on the nodes'
 * state the one before left, as an operator's reruns do.
 */
@TestbedNodes(count = 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CreateEtcdIT {
    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;

    @BeforeAll
    static void artifactWithEtcd() throws Exception {
        artifactDir = TestArtifacts.etcdOnly(dir);
        workDir = dir.resolve("kubekey");
        knownHosts = dir.resolve("known_hosts");
    }

    @Test
    @Order(1)
    void twoMembersStartTogetherHealthyOverTls(Testbed testbed) throws Exception {
        KkRun r = phase(testbed, "etcd", true, "node[1:2]");
        assertThat(r.exit()).as(r.err()).isZero();
        etcd().assertHealthy(testbed.nodes().subList(0, 2));
        // node3 is a control plane, not a member: it has its node certificate only
        assertThat(testbed.exec(testbed.node(3), "ls", "/etc/ssl/etcd/ssl")
                        .lines()
                        .toList())
                .containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "node-node3.pem", "node-node3-key.pem");
    }

    @Test
    @Order(2)
    void aThirdMemberJoinsTheRunningClusterAndSeesItsData(Testbed testbed) throws Exception {
        etcd().at(testbed.node(1), "put", "/kk/test", "written-on-node1");
        KkRun r = phase(testbed, "etcd", true, "node[1:3]");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("[node3] etcd / etcd join: join a running cluster ... changed");

        etcd().assertHealthy(testbed.nodes());
        assertThat(etcd().run(testbed.nodes(), "member", "list"))
                .contains("etcd-node1")
                .contains("etcd-node2")
                .contains("etcd-node3");
        // a key written through node1 before node3 joined is read through node3
        assertThat(etcd().at(testbed.node(3), "get", "/kk/test", "--print-value-only")
                        .strip())
                .isEqualTo("written-on-node1");

        // each host has only its own keys, readable by root alone
        TestbedNode node2 = testbed.node(2);
        assertThat(testbed.exec(node2, "ls", "/etc/ssl/etcd/ssl").lines().toList())
                .containsExactlyInAnyOrder(
                        "ca.pem",
                        "ca-key.pem",
                        "admin-node2.pem",
                        "admin-node2-key.pem",
                        "member-node2.pem",
                        "member-node2-key.pem",
                        "node-node2.pem",
                        "node-node2-key.pem");
        assertThat(testbed.exec(node2, "stat", "-c", "%a", "/etc/ssl/etcd/ssl/member-node2-key.pem")
                        .strip())
                .isEqualTo("600");
        assertThat(testbed.exec(node2, "systemctl", "is-enabled", "backup-etcd.timer")
                        .strip())
                .isEqualTo("enabled");
        // the backup script takes a real snapshot
        testbed.exec(node2, "/usr/local/bin/kube-scripts/etcd-backup.sh");
        assertThat(testbed.exec(node2, "sh", "-c", "ls /var/backups/kube_etcd/*/snapshot.db | wc -l")
                        .strip())
                .isEqualTo("1");
    }

    @Test
    @Order(3)
    void aSecondRunChangesNothingAndRestartsNothing(Testbed testbed) throws Exception {
        Map<String, String> started = activeSince(testbed);
        KkRun r = phase(testbed, "etcd", true, "node[1:3]", "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertThat(result.get("ok").asBoolean()).isTrue();
        for (JsonNode host : result.get("hosts")) {
            assertThat(host.get("changed").asInt()).as(host.toString()).isZero();
            assertThat(host.get("unchanged").asInt()).as(host.toString()).isPositive();
        }
        assertThat(activeSince(testbed)).isEqualTo(started);
        assertThat(etcd().at(testbed.node(2), "get", "/kk/test", "--print-value-only")
                        .strip())
                .isEqualTo("written-on-node1");
    }

    @Test
    @Order(4)
    void theRenewTimerIsInstalledAndItsScriptRuns(Testbed testbed) throws Exception {
        KkRun r = phase(testbed, "certs-renew", true, "node[1:3]");
        assertThat(r.exit()).as(r.err()).isZero();
        for (TestbedNode n : testbed.nodes()) {
            assertThat(testbed.exec(n, "systemctl", "is-enabled", "k8s-certs-renew.timer")
                            .strip())
                    .isEqualTo("enabled");
        }
        // no control plane yet: the script says so and succeeds
        testbed.exec(testbed.node(1), "systemctl", "start", "k8s-certs-renew.service");
        assertThat(testbed.exec(testbed.node(1), "journalctl", "-u", "k8s-certs-renew.service", "--no-pager"))
                .contains("nothing to renew");
    }

    @Test
    @Order(5)
    void autoRenewCertsFalseLeavesNoTimer(Testbed testbed) throws Exception {
        KkRun r = phase(testbed, "certs-renew", false, "node[1:3]");
        assertThat(r.exit()).as(r.err()).isZero();
        for (TestbedNode n : testbed.nodes()) {
            assertThat(testbed.exec(
                                    n,
                                    "sh",
                                    "-c",
                                    "ls /etc/systemd/system /etc/systemd/system/timers.target.wants"
                                            + " /usr/local/bin/kube-scripts; systemctl list-timers --all --no-pager")
                            .strip())
                    .doesNotContain("k8s-certs-renew")
                    .contains("backup-etcd.timer");
        }
    }

    private static Map<String, String> activeSince(Testbed testbed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TestbedNode n : testbed.nodes()) {
            out.put(
                    n.name(),
                    testbed.exec(n, "systemctl", "show", "-p", "ActiveEnterTimestamp", "etcd")
                            .strip());
        }
        return out;
    }

    /** etcdctl with node1's admin certificate. */
    private static Etcdctl etcd() {
        return new Etcdctl(workDir, "node1");
    }

    private static KkRun phase(Testbed testbed, String phase, boolean autoRenew, String etcd, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "create",
                "phase",
                phase,
                "-f",
                config(testbed, autoRenew, etcd).toString(),
                "-a",
                artifactDir.toString(),
                "--dir",
                workDir.toString(),
                "--yes",
                "--known-hosts",
                knownHosts.toString()));
        args.addAll(List.of(extra));
        return kk(args.toArray(String[]::new));
    }

    private static Path config(Testbed testbed, boolean autoRenew, String etcd) throws Exception {
        String hosts = KkRun.hostsYaml(testbed);
        Path file = dir.resolve("config-" + autoRenew + "-" + etcd.replaceAll("\\W", "") + ".yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: testbed}
                spec:
                  hosts:
                %s  roleGroups:
                    etcd: ["%s"]
                    control-plane: ["node[1:3]"]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, autoRenewCerts: %s}
                  etcd: {type: kubekey}
                """
                        .formatted(hosts, etcd, autoRenew));
        return file;
    }

    private static KkRun kk(String... args) {
        return KkRun.of(args);
    }
}
