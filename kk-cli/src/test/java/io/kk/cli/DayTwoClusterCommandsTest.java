package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk certs renew}, {@code kk delete cluster} and {@code kk add nodes} without hosts: the
 * dry runs print the plan and contact nothing; a delete without --yes and without a terminal does
 * nothing and says how to go on.
 */
class DayTwoClusterCommandsTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    /** Hosts on TEST-NET-1 (192.0.2.0/24): nothing answers there, so any connection would fail. */
    private Path config() throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: dry}
                spec:
                  hosts:
                  - {name: node1, address: 192.0.2.11, user: root, password: "s3cret-pw"}
                  - {name: node2, address: 192.0.2.12, user: root, password: "s3cret-pw"}
                  - {name: node3, address: 192.0.2.13, user: root, password: "s3cret-pw"}
                  roleGroups:
                    registry: [node1]
                    etcd: [node2]
                    control-plane: [node2]
                    worker: [node3]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, containerManager: containerd}
                  etcd: {type: kubekey}
                """);
        return file;
    }

    @Test
    void deleteClusterDryRunShowsWhatGoesAndTouchesNothing() throws Exception {
        int code = kk.run(
                "delete",
                "cluster",
                "-f",
                config().toString(),
                "--dry-run",
                "--known-hosts",
                dir.resolve("kh").toString());
        String text = kk.out();
        assertThat(code).as(kk.err()).isZero();
        assertThat(text).contains("kubeadm reset -f").contains("etcd.service").contains("/var/lib/etcd");
        // persistent volumes are data: named among the data dirs (OpenEBS local PV's base path, rook's)
        assertThat(text).contains("/var/openebs/local").contains("/var/lib/rook");
        // without --all, the registry host is left alone
        assertThat(text).doesNotContain("registry.service");
        assertThat(dir.resolve("kh")).doesNotExist();
        assertThat(kk.err()).doesNotContain("s3cret-pw");
    }

    @Test
    void deleteClusterWithoutYesAndWithoutATerminalDoesNothing() throws Exception {
        int code = kk.run(
                "delete",
                "cluster",
                "-f",
                config().toString(),
                "--known-hosts",
                dir.resolve("kh").toString());
        assertThat(code).isEqualTo(2);
        assertThat(kk.err()).contains("asks for confirmation").contains("--yes");
        assertThat(dir.resolve("kh")).doesNotExist();
    }

    @Test
    void certsRenewDryRunNamesTheRestarts() throws Exception {
        int code = kk.run(
                "certs",
                "renew",
                "-f",
                config().toString(),
                "--dir",
                dir.resolve("work").toString(),
                "--dry-run");
        assertThat(code).as(kk.err()).isZero();
        assertThat(kk.out()).contains("kubeadm certs renew all");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void certsRenewForceSaysWhatItDoesAndIsTheDefault() throws Exception {
        assertThat(kk.run("certs", "renew", "--help")).isZero();
        assertThat(kk.out().replaceAll("\\s+", " "))
                .contains("--force Renew every certificate whatever its end date. That is already what certs"
                        + " renew does without --threshold-days");
        kk.reset();
        String[] base = {
            "certs",
            "renew",
            "-f",
            config().toString(),
            "--dir",
            dir.resolve("work").toString(),
            "--dry-run"
        };
        assertThat(kk.run(base)).isZero();
        String plain = kk.out();
        kk.reset();
        String[] forced = java.util.Arrays.copyOf(base, base.length + 1);
        forced[base.length] = "--force";
        assertThat(kk.run(forced)).isZero();
        // the same plan: --force only states the default
        assertThat(kk.out()).isEqualTo(plain).contains("renew when every certificate");
        kk.reset();
        String[] threshold = java.util.Arrays.copyOf(base, base.length + 2);
        threshold[base.length] = "--threshold-days";
        threshold[base.length + 1] = "30";
        assertThat(kk.run(threshold)).isZero();
        assertThat(kk.out()).contains("renew when certificates with fewer than 30 days left");
    }

    @Test
    void certsRenewForceWithThresholdDaysIsRefused() throws Exception {
        int code = kk.run(
                "certs",
                "renew",
                "-f",
                config().toString(),
                "--dir",
                dir.resolve("work").toString(),
                "--dry-run",
                "--force",
                "--threshold-days",
                "30");
        assertThat(code).isEqualTo(2);
        assertThat(kk.err())
                .contains(
                        "--force renews every certificate; --threshold-days 30 renews only those with fewer days left");
        assertThat(kk.out()).doesNotContain("kubeadm certs renew all");
    }

    @Test
    void addNodesDryRunRunsEveryPhaseButInit() throws Exception {
        int code = kk.run(
                "add",
                "nodes",
                "-f",
                config().toString(),
                "--dir",
                dir.resolve("work").toString(),
                "--dry-run");
        String text = kk.out();
        assertThat(code).as(kk.err()).isZero();
        assertThat(text)
                .startsWith("add nodes: phases in order")
                .contains("runtime")
                .contains("etcd")
                .contains("join");
        assertThat(text.lines().filter(l -> l.strip().startsWith("init ")).toList())
                .isEmpty();
    }
}
