package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.layout.OciLayout;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk alpha cri migrate} on a real node running Debian's docker 20.10 (dockerd from the
 * docker.io package bin/test-all downloads, with Debian's containerd and runc; storage driver vfs,
 * no iptables), which first pulls from kk's private registry; after the migration docker is stopped
 * and disabled, kk's containerd from the artifact runs with kk's config, and it pulls and runs the
 * image from the private registry. The node has no kubelet: the cordon, drain, kubelet and uncordon
 * steps are skipped with a note saying so (their command lines are checked in CriMigratePlanTest).
 */
@TestbedNodes(count = 2)
class CriMigrateIT {
    static final String USER = "kkpush";
    static final String PASSWORD = "s3cret-Registry-pw";
    static final String IMAGE = "dockerhub.kubekey.local/kubesphereio/busybox:1.35";

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;
    static TestUpstream upstream;

    @BeforeAll
    static void artifact() throws Exception {
        upstream = TestUpstream.start(dir.resolve("upstream"));
        artifactDir = dir.resolve("artifact");
        workDir = dir.resolve("work");
        knownHosts = dir.resolve("known_hosts");
        place("containerd-" + TestUpstream.CONTAINERD + "-linux-amd64.tar.gz", "containerd/" + TestUpstream.CONTAINERD);
        place("runc.amd64", "runc/" + TestUpstream.RUNC);
        place("cni-plugins-linux-amd64-" + TestUpstream.CNI + ".tgz", "cni/" + TestUpstream.CNI);
        place(TestUpstream.registryFile(), "registry/registry/" + TestUpstream.REGISTRY);
        TestImages.busybox(OciLayout.create(artifactDir.resolve("images")), "docker.io/library/busybox:1.35");
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aDockerNodeMovesToKksContainerdAndPullsFromThePrivateRegistry(Testbed testbed) throws Exception {
        Path config = config(testbed);
        String[] common = {"-f", config.toString(), "-a", artifactDir.toString(), "--dir", workDir.toString()};
        KkRun reg = KkRun.of(concat(new String[] {"init", "registry", "--known-hosts", knownHosts.toString()}, common));
        assertThat(reg.exit()).as(reg.err()).isZero();
        KkRun push = KkRun.of(concat(new String[] {"init", "images"}, common));
        assertThat(push.exit()).as(push.err()).isZero();

        TestbedNode node = testbed.node(2);
        installDebianDocker(testbed, node);
        assertThat(testbed.exec(node, "docker", "info", "--format", "{{.Driver}}")
                        .strip())
                .isEqualTo("vfs");
        testbed.exec(
                node,
                "sh",
                "-c",
                "echo '" + PASSWORD + "' | docker login -u " + USER
                        + " --password-stdin dockerhub.kubekey.local >/dev/null");
        testbed.exec(node, "docker", "pull", "-q", IMAGE);

        KkRun migrate = KkRun.of(concat(
                new String[] {
                    "alpha", "cri", "migrate", "--role", "all", "--yes", "--known-hosts", knownHosts.toString()
                },
                common));
        assertThat(migrate.exit()).as(migrate.err()).isZero();
        assertThat(migrate.err())
                .contains("[node2] migrate node2 / node2 stop docker: stop docker ... changed")
                .contains("[node2] migrate node2 / node2 facts: kubelet present ... unchanged")
                .contains("no kubelet: not a Kubernetes node")
                // kubelet is absent on the testbed: each Kubernetes step says so and does not run
                .contains("[node2] migrate node2 / node2 drain: drain node2 ... skipped")
                .contains("node2 has no kubelet (not a Kubernetes node): skipped")
                .contains("[node2] migrate node2 / node2 kubelet: kubelet to containerd ... skipped")
                .contains("[node2] migrate node2 / node2 back in service: uncordon node2 ... skipped");
        // node1 is the registry, not a Kubernetes node: untouched
        assertThat(migrate.err()).doesNotContain("[node1] migrate");

        for (String unit : List.of("docker.service", "docker.socket")) {
            assertThat(testbed.exec(node, "sh", "-c", "systemctl is-active " + unit + " || true")
                            .strip())
                    .as(unit)
                    .isEqualTo("inactive");
            assertThat(testbed.exec(node, "sh", "-c", "systemctl is-enabled " + unit + " || true")
                            .strip())
                    .as(unit)
                    .isEqualTo("disabled");
        }
        assertThat(testbed.exec(node, "systemctl", "is-active", "containerd").strip())
                .isEqualTo("active");
        assertThat(testbed.exec(node, "systemctl", "show", "-p", "FragmentPath", "containerd")
                        .strip())
                .isEqualTo("FragmentPath=/etc/systemd/system/containerd.service");
        String toml = testbed.exec(node, "cat", "/etc/containerd/config.toml");
        assertThat(toml)
                .contains("snapshotter = \"native\"")
                .contains("ca_file = \"/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt\"");
        assertThat(testbed.exec(node, "cat", "/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt"))
                .isEqualTo(Files.readString(workDir.resolve("pki/registry/ca.pem")));

        // the image pulled through docker is not what containerd has: pull it again, from the registry
        testbed.exec(
                node,
                "ctr",
                "-n",
                "k8s.io",
                "images",
                "pull",
                "--snapshotter",
                "native",
                "--hosts-dir",
                "/etc/containerd/certs.d",
                "--user",
                USER + ":" + PASSWORD,
                IMAGE);
        String out = testbed.exec(
                node,
                "ctr",
                "-n",
                "k8s.io",
                "run",
                "--rm",
                "--snapshotter",
                "native",
                IMAGE,
                "kk-migrated",
                "/bin/echo",
                "hello from containerd");
        assertThat(out.strip()).isEqualTo("hello from containerd");

        // a second run: docker already stopped, containerd as wanted: nothing changes
        KkRun again = KkRun.of(concat(
                new String[] {
                    "alpha", "cri", "migrate", "--role", "all", "--yes", "--known-hosts", knownHosts.toString()
                },
                common));
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.err()).contains("stop docker ... unchanged").doesNotContain("... changed");
    }

    /**
     * Debian's docker 20.10 as its package would set it up (units from the .deb, Debian's
     * containerd underneath), copied in through the node's root: no apt inside the node.
     */
    private static void installDebianDocker(Testbed testbed, TestbedNode node) throws Exception {
        Path x = DebianDocker.unpack(dir.resolve("docker-deb"));
        Path root = Path.of("/proc/" + node.pid1() + "/root");
        copy(x.resolve("usr/sbin/dockerd"), root.resolve("usr/sbin/dockerd"), "rwxr-xr-x");
        copy(x.resolve("usr/bin/docker"), root.resolve("usr/bin/docker"), "rwxr-xr-x");
        copy(
                x.resolve("lib/systemd/system/docker.service"),
                root.resolve("lib/systemd/system/docker.service"),
                "rw-r--r--");
        copy(
                x.resolve("lib/systemd/system/docker.socket"),
                root.resolve("lib/systemd/system/docker.socket"),
                "rw-r--r--");
        copy(Path.of("/usr/bin/containerd"), root.resolve("usr/bin/containerd"), "rwxr-xr-x");
        copy(Path.of("/usr/bin/containerd-shim-runc-v2"), root.resolve("usr/bin/containerd-shim-runc-v2"), "rwxr-xr-x");
        copy(Path.of("/usr/sbin/runc"), root.resolve("usr/sbin/runc"), "rwxr-xr-x");
        copy(
                Path.of("/lib/systemd/system/containerd.service"),
                root.resolve("lib/systemd/system/containerd.service"),
                "rw-r--r--");
        Files.createDirectories(root.resolve("etc/docker"));
        // overlay on overlay fails in a testbed node, and the node must keep the host's iptables alone
        Files.writeString(
                root.resolve("etc/docker/daemon.json"),
                "{\"storage-driver\": \"vfs\", \"iptables\": false, \"ip-masq\": false, \"bridge\": \"none\","
                        + " \"userland-proxy\": false}\n");
        testbed.exec(node, "sh", "-c", "getent group docker >/dev/null || groupadd -r docker");
        testbed.exec(node, "systemctl", "daemon-reload");
        testbed.exec(node, "systemctl", "enable", "--now", "containerd.service", "docker.socket", "docker.service");
    }

    private static void copy(Path from, Path to, String perms) throws Exception {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(perms));
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void place(String fileName, String kkDir) throws Exception {
        TestArtifacts.place(dir.resolve("upstream"), artifactDir, fileName, kkDir);
    }

    private static Path config(Testbed testbed) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: testbed}
                spec:
                  hosts:
                %s  roleGroups:
                    registry: [node1]
                    etcd: [node2]
                    control-plane: [node2]
                    worker: [node2]
                  kubernetes: {version: v1.23.17, proxyMode: iptables, containerManager: docker}
                  registry:
                    namespaceOverride: kubesphereio
                    registryDataDir: /var/lib/kk-registry
                    auths:
                      dockerhub.kubekey.local: {username: %s, password: %s}
                """
                        .formatted(KkRun.hostsYaml(testbed), USER, PASSWORD));
        return file;
    }
}
