package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kk as its own process working on real nodes over SSH, killed with SIGKILL at pause points inside
 * the etcd phase ({@code -Dkk.pauseAt}: kk blocks there between two remote commands, so nothing of
 * its own is in flight), then run again: the end state is the one an uninterrupted run gives, and
 * nothing kk wrote half-way is left on the nodes. Each kill point is one a rerun did not repair
 * before: a temp file beside a certificate, a member added and never started (the rerun's second
 * {@code member add} failed), an env file written and etcd never restarted onto it.
 */
@TestbedNodes(count = 2)
class KillNineRemoteIT {
    private static final int LIMIT_SECONDS = 120;

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;
    static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void artifactWithEtcd() throws Exception {
        TestUpstream.writeFiles(dir.resolve("upstream"));
        String file = "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz";
        Path tarball = dir.resolve("upstream/github.com/coreos/etcd/releases/download/" + TestUpstream.ETCD)
                .resolve(file);
        artifactDir = dir.resolve("artifact");
        Path target = artifactDir.resolve("etcd/" + TestUpstream.ETCD + "/amd64/" + file);
        Files.createDirectories(target.getParent());
        Files.copy(tarball, target);
        workDir = dir.resolve("kubekey");
        knownHosts = dir.resolve("known_hosts");
    }

    @AfterAll
    static void stop() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void etcdKilledAtEachRemoteWindowThenRerunEndsHealthyWithNothingLeftBehind(Testbed testbed) throws Exception {
        TestbedNode node1 = testbed.node(1);
        TestbedNode node2 = testbed.node(2);

        // 1. between a certificate's upload and its rename: its temp copy stays on the node ...
        killAt(testbed, "node1", 10000, "remote:uploaded:/etc/ssl/etcd/ssl/ca-key.pem", "1");
        assertThat(testbed.exec(node1, "sh", "-c", "ls -a /etc/ssl/etcd/ssl"))
                .containsPattern("\\.kk-ca-key\\.pem\\.[0-9a-f]{8}\\.tmp");
        // ... until the next run writes that file again: it removes kk's own stale copies
        rerun(testbed, "node1", 10000);
        etcd().assertHealthy(List.of(node1));
        assertNoTempFiles(testbed, node1);

        // 2. node2 added to the running cluster, killed before it started: etcd lists it
        //    unstarted; the rerun must start it, not add it again (etcd refuses that)
        killAt(testbed, "node[1:2]", 10000, "etcd:member-added:node2", "2");
        assertThat(etcd().at(node1, "member", "list")).contains("unstarted");
        KkRun again = rerun(testbed, "node[1:2]", 10000);
        assertThat(again.err()).contains("added by an earlier run and never started");
        etcd().assertHealthy(List.of(node1, node2));
        String members = etcd().at(node1, "member", "list");
        assertThat(members).contains("etcd-node1").contains("etcd-node2").doesNotContain("unstarted");

        // 3. a setting changed: killed after the env files are written, before etcd restarts;
        //    the rerun finds the files as wanted and must still restart etcd onto them
        killAt(testbed, "node[1:2]", 20000, "remote:written:/etc/etcd.env", "3");
        rerun(testbed, "node[1:2]", 20000);
        etcd().assertHealthy(List.of(node1, node2));
        for (TestbedNode n : List.of(node1, node2)) {
            assertThat(testbed.exec(n, "sh", "-c", "tr '\\0' '\\n' < /proc/$(pidof etcd)/environ"))
                    .as("the running etcd's environment on " + n.name())
                    .contains("ETCD_SNAPSHOT_COUNT=20000");
            assertNoTempFiles(testbed, n);
            assertThat(testbed.exec(n, "sh", "-c", "ls -A /var/lib/kubekey/kk-due 2>/dev/null; true")
                            .strip())
                    .as("follow-ups still due on " + n.name())
                    .isEmpty();
        }
        assertThat(etcd().at(node2, "member", "list")).contains("etcd-node1").contains("etcd-node2");
    }

    private static void assertNoTempFiles(Testbed testbed, TestbedNode n) {
        assertThat(testbed.exec(
                                n,
                                "sh",
                                "-c",
                                "find /etc /usr/local/bin /var/lib/kubekey -name '.kk-*.tmp' 2>/dev/null; true")
                        .strip())
                .as("kk's temp files left on " + n.name())
                .isEmpty();
    }

    /** Runs the etcd phase as its own process until it pauses at {@code point}, then SIGKILLs it. */
    private static void killAt(Testbed testbed, String etcd, int snapshotCount, String point, String tag)
            throws Exception {
        Path log = dir.resolve(tag + ".log");
        Path marker = dir.resolve(tag + ".paused");
        Process p = kk(log, point, marker, args(testbed, etcd, snapshotCount));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!Files.exists(marker)) {
            if (!p.isAlive()) {
                fail("kk ended (exit " + p.exitValue() + ") before " + point + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("kk never reached " + point + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed at " + point).isEqualTo(137);
    }

    private static KkRun rerun(Testbed testbed, String etcd, int snapshotCount) throws Exception {
        KkRun r = KkRun.of(args(testbed, etcd, snapshotCount));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private static Etcdctl etcd() {
        return new Etcdctl(workDir, "node1");
    }

    private static String[] args(Testbed testbed, String etcd, int snapshotCount) throws Exception {
        Path file = dir.resolve("config-" + etcd.replaceAll("\\W", "") + "-" + snapshotCount + ".yaml");
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
                    control-plane: ["node1"]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, autoRenewCerts: false}
                  etcd: {type: kubekey, snapshotCount: %d}
                """
                        .formatted(KkRun.hostsYaml(testbed), etcd, snapshotCount));
        return new String[] {
            "create",
            "phase",
            "etcd",
            "-f",
            file.toString(),
            "-a",
            artifactDir.toString(),
            "--dir",
            workDir.toString(),
            "--yes",
            "--known-hosts",
            knownHosts.toString()
        };
    }

    /** kk as its own JVM, stopping at {@code pauseAt}. */
    private static Process kk(Path log, String pauseAt, Path marker, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dkk.pauseAt=" + pauseAt,
                "-Dkk.pauseMarker=" + marker,
                "-cp",
                System.getProperty("java.class.path"),
                "io.kk.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }
}
