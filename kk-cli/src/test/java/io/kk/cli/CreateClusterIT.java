package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.testkit.iso.DebRepoIso;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create cluster} on one real node from an artifact directory holding the OS package ISO
 * and etcd, but no kubeadm: the OS, etcd and renew-timer phases run, then it stops with the
 * message that names kubeadm; a rerun changes nothing.
 */
@TestbedNodes(count = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CreateClusterIT {
    static final List<String> PACKAGES = List.of("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony");

    @TempDir
    static Path dir;

    static Path artifactDir;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void artifact() throws Exception {
        artifactDir = dir.resolve("artifact");
        Path iso = artifactDir.resolve("repository/amd64/debian/12/debian-12-amd64.iso");
        Files.createDirectories(iso.getParent());
        Files.createSymbolicLink(iso, DebRepoIso.of(PACKAGES));
        try (TestUpstream upstream = TestUpstream.start(dir.resolve("upstream"))) {
            String file = "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz";
            Path target = artifactDir.resolve("etcd/" + TestUpstream.ETCD + "/amd64/" + file);
            Files.createDirectories(target.getParent());
            Files.copy(
                    dir.resolve("upstream/github.com/coreos/etcd/releases/download/" + TestUpstream.ETCD)
                            .resolve(file),
                    target);
        }
    }

    @Test
    @Order(1)
    void runsEveryPhaseItCanThenStopsNamingKubeadm(Testbed testbed) throws Exception {
        Run r = create(testbed);
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err())
                .contains("kubeadm v1.28.2 for amd64 is not in " + artifactDir)
                .contains("create cluster: done")
                .doesNotContain("FAILED");
        TestbedNode n = testbed.node(1);
        assertThat(testbed.exec(n, "dpkg-query", "-W", "-f", "${Status}", "socat"))
                .isEqualTo("install ok installed");
        assertThat(testbed.exec(
                        n,
                        "sh",
                        "-c",
                        "ETCDCTL_API=3 etcdctl --endpoints=https://" + n.address()
                                + ":2379 --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-node1.pem"
                                + " --key=/etc/ssl/etcd/ssl/admin-node1-key.pem endpoint health 2>&1"))
                .contains("is healthy");
        assertThat(testbed.exec(n, "systemctl", "is-enabled", "k8s-certs-renew.timer")
                        .strip())
                .isEqualTo("enabled");
    }

    @Test
    @Order(2)
    void aRerunChangesNothing(Testbed testbed) throws Exception {
        Run r = create(testbed, "--output", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        JsonNode result = new ObjectMapper().readTree(r.out());
        assertThat(result.get("stop").asText()).contains("kubeadm v1.28.2");
        for (JsonNode host : result.get("hosts")) {
            assertThat(host.get("changed").asInt()).as(host.toString()).isZero();
        }
    }

    private static Run create(Testbed testbed, String... extra) throws Exception {
        TestbedNode n = testbed.node(1);
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(
                config,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: aio}
                spec:
                  hosts:
                  - {name: node1, address: %s, user: root, privateKeyPath: %s}
                  roleGroups: {etcd: [node1], control-plane: [node1], worker: [node1]}
                  kubernetes: {version: v1.28.2, proxyMode: iptables}
                """
                        .formatted(n.address(), testbed.privateKey()));
        List<String> args = new java.util.ArrayList<>(List.of(
                "create",
                "cluster",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--dir",
                dir.resolve("kubekey").toString(),
                "--yes",
                "--known-hosts",
                dir.resolve("known_hosts").toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
