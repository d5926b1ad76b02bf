package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.MediaTypes;
import io.kk.image.layout.OciLayout;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery phases on real nodes: {@code kk init registry} (Debian's registry binary as a
 * service with kk's TLS certificate and htpasswd), {@code kk init images} (a busybox image built
 * here, pushed with KubeKey's names) and {@code kk init runtime} (Debian's containerd, runc and CNI
 * plugins), then every k8s node pulls the image from the private registry by its name and runs it.
 * A second round changes and restarts nothing.
 */
@TestbedNodes(count = 3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryIT {
    static final String USER = "kkpush";
    static final String PASSWORD = "s3cret-Registry-pw";
    static final String IMAGE = "dockerhub.kubekey.local/kubesphereio/busybox:1.35";

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;
    static String imageDigest;
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
        imageDigest = TestImages.busybox(
                        OciLayout.create(artifactDir.resolve("images")), "docker.io/library/busybox:1.35")
                .digest();
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Order(1)
    void registryImagesAndRuntimeOnRealNodes(Testbed testbed) throws Exception {
        Path config = config(testbed);
        KkRun reg = kk(
                "init",
                "registry",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--dir",
                workDir.toString(),
                "--known-hosts",
                knownHosts.toString());
        assertThat(reg.exit()).as(reg.err()).isZero();
        TestbedNode registry = testbed.node(1);
        Path ca = workDir.resolve("pki/registry/ca.pem");
        assertThat(ca).exists();
        // TLS from the root namespace with kk's CA, by address (a SAN), auth required
        assertThat(curl(ca, "https://" + registry.address() + "/v2/", null)).isEqualTo("401");
        assertThat(curl(ca, "https://" + registry.address() + "/v2/", USER + ":" + PASSWORD))
                .isEqualTo("200");
        for (TestbedNode n : testbed.nodes()) {
            assertThat(testbed.exec(n, "cat", "/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt"))
                    .isEqualTo(Files.readString(ca));
            assertThat(testbed.exec(n, "getent", "hosts", "dockerhub.kubekey.local"))
                    .contains(registry.address());
        }

        KkRun push = kk(
                "init", "images", "-f", config.toString(), "-a", artifactDir.toString(), "--dir", workDir.toString());
        assertThat(push.exit()).as(push.err()).isZero();
        assertThat(push.out()).contains(registry.address() + "/kubesphereio/busybox:1.35@" + imageDigest);
        // the digest at the destination is the layout's, under the rewritten name
        assertThat(curlDigest(ca, "https://" + registry.address() + "/v2/kubesphereio/busybox/manifests/1.35"))
                .isEqualTo(imageDigest);

        KkRun rt = kk(
                "init",
                "runtime",
                "-f",
                config.toString(),
                "-a",
                artifactDir.toString(),
                "--dir",
                workDir.toString(),
                "--known-hosts",
                knownHosts.toString());
        assertThat(rt.exit()).as(rt.err()).isZero();
        for (TestbedNode n : List.of(testbed.node(2), testbed.node(3))) {
            assertThat(testbed.exec(n, "systemctl", "is-active", "containerd").strip())
                    .isEqualTo("active");
            String toml = testbed.exec(n, "cat", "/etc/containerd/config.toml");
            assertThat(toml)
                    .contains("snapshotter = \"native\"")
                    .contains("sandbox_image = \"dockerhub.kubekey.local/kubesphereio/pause:3.9\"")
                    .contains("ca_file = \"/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt\"");
            testbed.exec(
                    n,
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
                    n,
                    "ctr",
                    "-n",
                    "k8s.io",
                    "run",
                    "--rm",
                    "--snapshotter",
                    "native",
                    IMAGE,
                    "kk-echo-" + n.hostname(),
                    "/bin/echo",
                    "hello from " + n.hostname());
            assertThat(out.strip()).isEqualTo("hello from " + n.hostname());
            assertThat(testbed.exec(n, "ctr", "-n", "k8s.io", "images", "ls", "-q", "name==" + IMAGE))
                    .contains(IMAGE);
        }
    }

    @Test
    @Order(2)
    void secondRoundChangesAndRestartsNothing(Testbed testbed) throws Exception {
        Path config = config(testbed);
        String registryStarted = started(testbed, testbed.node(1), "registry");
        String containerdStarted = started(testbed, testbed.node(2), "containerd");
        for (String phase : List.of("registry", "runtime")) {
            KkRun r = kk(
                    "init",
                    phase,
                    "-f",
                    config.toString(),
                    "-a",
                    artifactDir.toString(),
                    "--dir",
                    workDir.toString(),
                    "--known-hosts",
                    knownHosts.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            // the summary line; with --output json PlanReport does not serialise yet (HostSummary's Optional)
            assertThat(r.out() + r.err())
                    .as(phase)
                    .contains(": done, 0 changes")
                    .doesNotContain("... changed");
        }
        KkRun push = kk(
                "init", "images", "-f", config.toString(), "-a", artifactDir.toString(), "--dir", workDir.toString());
        assertThat(push.exit()).as(push.err()).isZero();
        assertThat(push.out()).contains("0 blobs copied");
        assertThat(started(testbed, testbed.node(1), "registry")).isEqualTo(registryStarted);
        assertThat(started(testbed, testbed.node(2), "containerd")).isEqualTo(containerdStarted);
    }

    @Test
    @Order(3)
    void aNodeStoppedMidRunIsNamedAndARerunFinishes(Testbed testbed) throws Exception {
        Path config = config(testbed);
        TestbedNode node3 = testbed.node(3);
        // a missing binary makes kk upload containerd again: node3 is surely mid-run while it does
        testbed.exec(node3, "rm", "-f", "/usr/bin/containerd");
        java.util.concurrent.CompletableFuture<KkRun> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> kk(
                        "init",
                        "runtime",
                        "-f",
                        config.toString(),
                        "-a",
                        artifactDir.toString(),
                        "--dir",
                        workDir.toString(),
                        "--known-hosts",
                        knownHosts.toString()));
        for (int i = 0; i < 600; i++) {
            if (testbed.exec(node3, "sh", "-c", "ls -d /tmp/kk-install-* 2>/dev/null || true")
                    .contains("kk-install")) {
                break;
            }
            Thread.sleep(100);
        }
        testbed.stop(node3);
        KkRun r = running.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("node3").contains("failed on 1 of");

        // the node comes back fresh (new root, new host key): forget its old key, run both phases again
        TestbedNode fresh = testbed.restart(node3);
        List<String> kept = Files.readAllLines(knownHosts).stream()
                .filter(l -> !l.contains(fresh.address()))
                .toList();
        Files.write(knownHosts, kept);
        for (String phase : List.of("registry", "runtime")) {
            KkRun again = kk(
                    "init",
                    phase,
                    "-f",
                    config.toString(),
                    "-a",
                    artifactDir.toString(),
                    "--dir",
                    workDir.toString(),
                    "--known-hosts",
                    knownHosts.toString());
            assertThat(again.exit()).as(again.err()).isZero();
        }
        testbed.exec(
                fresh,
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
        assertThat(testbed.exec(
                                fresh,
                                "ctr",
                                "-n",
                                "k8s.io",
                                "run",
                                "--rm",
                                "--snapshotter",
                                "native",
                                IMAGE,
                                "kk-echo-again",
                                "/bin/echo",
                                "back again")
                        .strip())
                .isEqualTo("back again");
    }

    private static String started(Testbed testbed, TestbedNode n, String unit) {
        String s = testbed.exec(n, "systemctl", "show", "-p", "ActiveEnterTimestampMonotonic", unit)
                .strip();
        assertThat(s).doesNotEndWith("=0");
        return s;
    }

    private static void place(String fileName, String kkDir) throws Exception {
        TestArtifacts.place(dir.resolve("upstream"), artifactDir, fileName, kkDir);
    }

    private static String curl(Path ca, String url, String userPass) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(
                List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca.toString()));
        if (userPass != null) {
            cmd.add("-u");
            cmd.add(userPass);
        }
        cmd.add(url);
        return exec(cmd).strip();
    }

    private static String curlDigest(Path ca, String url) throws Exception {
        String headers = exec(List.of(
                "curl",
                "-s",
                "-I",
                "--cacert",
                ca.toString(),
                "-u",
                USER + ":" + PASSWORD,
                "-H",
                "Accept: " + MediaTypes.OCI_INDEX,
                url));
        return headers.lines()
                .filter(l -> l.toLowerCase().startsWith("docker-content-digest:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse(headers);
    }

    private static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static Path config(Testbed testbed) throws Exception {
        String hosts = KkRun.hostsYaml(testbed);
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
                    worker: [node3]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, containerManager: containerd}
                  registry:
                    namespaceOverride: kubesphereio
                    registryDataDir: /var/lib/kk-registry
                    auths:
                      dockerhub.kubekey.local: {username: %s, password: %s}
                """
                        .formatted(hosts, USER, PASSWORD));
        return file;
    }

    private static KkRun kk(String... args) {
        return KkRun.of(args);
    }
}
