package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.image.MediaTypes;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole delivery pipeline in one {@code kk create cluster -f config.yaml -a artifact} on four
 * real nodes (node1 the registry; node2..4 etcd members and control planes), from an artifact
 * {@code kk artifact export} made from the test upstream: OS packages from the artifact's ISO, the
 * registry with kk's TLS certificate, the images pushed under their rewritten names, containerd
 * pulling and running an image from the private registry, a three-member etcd cluster over TLS, the
 * certificate renew timer, and the stop before kubeadm (the artifact has none). Then reruns: one
 * changes and restarts nothing, one loses a node mid-run, one after the node is back completes.
 * The tests run in order, each on the state the one before left, as an operator's reruns do.
 */
@TestbedNodes(count = 4)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CreateClusterIT {
    static final String REGISTRY = "dockerhub.kubekey.local";
    static final String USER = "kkpush";
    static final String PASSWORD = "s3cret-Registry-pw";
    /** The busybox image as nodes pull it: privateRegistry + namespaceOverride. */
    static final String IMAGE = REGISTRY + "/kubesphereio/busybox:1.35";

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestArtifacts.Exported artifact;
    static Path workDir;
    static Path knownHosts;

    @BeforeAll
    static void exportArtifact() throws Exception {
        artifact = TestArtifacts.withBusybox(dir.resolve("export"));
        workDir = dir.resolve("kubekey");
        knownHosts = dir.resolve("known_hosts");
    }

    @Test
    @Order(1)
    void oneRunDeliversEverythingUpToEtcdThenStopsBeforeKubeadm(Testbed testbed) throws Exception {
        KkRun r = createCluster(testbed);
        assertStoppedBeforeKubeadmWithEveryHostOk(r);

        // the registry: TLS with kk's CA, by address and by its name (both SANs), auth required
        TestbedNode registry = testbed.node(1);
        Path ca = workDir.resolve("pki/registry/ca.pem");
        assertThat(curl(ca, registry, "/v2/", false)).isEqualTo("401");
        assertThat(curl(ca, registry, "/v2/", true)).isEqualTo("200");
        assertThat(exec(List.of(
                                "curl",
                                "-s",
                                "-o",
                                "/dev/null",
                                "-w",
                                "%{http_code}",
                                "--cacert",
                                ca.toString(),
                                "-u",
                                USER + ":" + PASSWORD,
                                "--resolve",
                                REGISTRY + ":443:" + registry.address(),
                                "https://" + REGISTRY + "/v2/"))
                        .strip())
                .isEqualTo("200");
        // the images: exactly the rewritten names, the index digest as exported
        assertThat(JSON.readTree(curlBody(ca, registry, "/v2/_catalog")).get("repositories"))
                .extracting(JsonNode::asText)
                .containsExactly("kubesphereio/busybox");
        assertThat(indexDigest(ca, registry)).isEqualTo(artifact.indexDigest());

        for (TestbedNode n : k8sNodes(testbed)) {
            assertThat(testbed.exec(n, "systemctl", "is-active", "containerd").strip())
                    .isEqualTo("active");
            assertThat(testbed.exec(n, "cat", "/etc/containerd/config.toml"))
                    .contains("sandbox_image = \"" + REGISTRY + "/kubesphereio/pause:3.9\"")
                    .contains("ca_file = \"/etc/containerd/certs.d/" + REGISTRY + "/ca.crt\"");
            assertThat(testbed.exec(n, "cat", "/etc/containerd/certs.d/" + REGISTRY + "/ca.crt"))
                    .isEqualTo(Files.readString(ca));
            assertThat(pullAndEcho(testbed, n, "hello from " + n.hostname())).isEqualTo("hello from " + n.hostname());
        }

        etcd().assertHealthy(k8sNodes(testbed));
        assertThat(etcd().run(k8sNodes(testbed), "member", "list"))
                .contains("etcd-node2")
                .contains("etcd-node3")
                .contains("etcd-node4");
        etcd().at(testbed.node(2), "put", "/kk/e2e", "written-on-node2");
        assertThat(etcd().at(testbed.node(4), "get", "/kk/e2e", "--print-value-only")
                        .strip())
                .isEqualTo("written-on-node2");

        for (TestbedNode n : k8sNodes(testbed)) {
            assertThat(testbed.exec(n, "systemctl", "is-enabled", "k8s-certs-renew.timer")
                            .strip())
                    .isEqualTo("enabled");
        }
        // no control plane yet: the script says so and succeeds
        testbed.exec(testbed.node(2), "systemctl", "start", "k8s-certs-renew.service");
        assertThat(testbed.exec(testbed.node(2), "journalctl", "-u", "k8s-certs-renew.service", "--no-pager"))
                .contains("nothing to renew");
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothingAndRestartsNothing(Testbed testbed) throws Exception {
        Map<String, String> started = activeSince(testbed);
        KkRun r = createCluster(testbed);
        JsonNode result = assertStoppedBeforeKubeadmWithEveryHostOk(r);
        for (JsonNode host : result.get("hosts")) {
            assertThat(host.get("changed").asInt()).as(host.toString()).isZero();
            assertThat(host.get("unchanged").asInt()).as(host.toString()).isPositive();
        }
        assertThat(activeSince(testbed)).isEqualTo(started);
        // the push found every blob at the registry already
        assertThat(r.err()).contains("images 1/1, blobs 0 copied");
        assertThat(indexDigest(workDir.resolve("pki/registry/ca.pem"), testbed.node(1)))
                .isEqualTo(artifact.indexDigest());
    }

    @Test
    @Order(3)
    void aNodeStoppedMidRunIsNamedAndARerunAfterItIsBackCompletes(Testbed testbed) throws Exception {
        TestbedNode node4 = testbed.node(4);
        // a missing binary makes kk upload containerd again: node4 is surely mid-run while it does
        testbed.exec(node4, "rm", "-f", "/usr/bin/containerd");
        CompletableFuture<KkRun> running = CompletableFuture.supplyAsync(() -> createCluster(testbed));
        for (int i = 0; i < 1200 && !running.isDone(); i++) {
            if (testbed.exec(node4, "sh", "-c", "ls -d /tmp/kk-install-* 2>/dev/null || true")
                    .contains("kk-install")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(running.isDone())
                .as("the run ended before node4 was stopped")
                .isFalse();
        testbed.stop(node4);
        KkRun failed = running.get(5, TimeUnit.MINUTES);
        assertThat(failed.exit()).as(failed.err()).isNotZero();
        assertThat(failed.err())
                .contains("error: create cluster failed on 1 of 4 hosts:\n  node4: ")
                .doesNotContain("create cluster stopped");
        for (JsonNode host : JSON.readTree(failed.out()).get("hosts")) {
            assertThat(host.get("failure").asText().isEmpty())
                    .as(host.toString())
                    .isEqualTo(!host.get("host").asText().equals("node4"));
        }

        // node4 comes back fresh (an empty disk, a new host key): the operator forgets its old key
        TestbedNode fresh = testbed.restart(node4);
        Files.write(
                knownHosts,
                Files.readAllLines(knownHosts).stream()
                        .filter(l -> !l.contains(fresh.address()))
                        .toList());
        KkRun again = createCluster(testbed);
        assertStoppedBeforeKubeadmWithEveryHostOk(again);
        etcd().assertHealthy(k8sNodes(testbed));
        // the new node4 member has the data written before it was lost
        assertThat(etcd().at(fresh, "get", "/kk/e2e", "--print-value-only").strip())
                .isEqualTo("written-on-node2");
        assertThat(pullAndEcho(testbed, fresh, "back again")).isEqualTo("back again");
    }

    /** Exit 3 with the stop before kubeadm named, and no host failed; returns the JSON result. */
    private static JsonNode assertStoppedBeforeKubeadmWithEveryHostOk(KkRun r) throws Exception {
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err())
                .contains("error: create cluster stopped: kubeadm v1.28.2 for amd64 is not in ")
                .contains("kk stops after etcd and the certificate renew timer");
        JsonNode result = JSON.readTree(r.out());
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("hosts")).hasSize(4);
        for (JsonNode host : result.get("hosts")) {
            assertThat(host.get("failure").asText()).as(host.toString()).isEmpty();
        }
        return result;
    }

    private static List<TestbedNode> k8sNodes(Testbed testbed) {
        return testbed.nodes().subList(1, 4);
    }

    /** When each service last started, per node: a restart changes it. */
    private static Map<String, String> activeSince(Testbed testbed) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("node1 registry", started(testbed, testbed.node(1), "registry"));
        for (TestbedNode n : k8sNodes(testbed)) {
            for (String unit : List.of("containerd", "etcd")) {
                out.put(n.hostname() + " " + unit, started(testbed, n, unit));
            }
        }
        return out;
    }

    private static String started(Testbed testbed, TestbedNode n, String unit) {
        String s = testbed.exec(n, "systemctl", "show", "-p", "ActiveEnterTimestamp", unit)
                .strip();
        assertThat(s).as(n.hostname() + " " + unit).isNotEqualTo("ActiveEnterTimestamp=");
        return s;
    }

    /** Pulls the image by its private name (kk's CA from certs.d) and runs echo in it. */
    private static String pullAndEcho(Testbed testbed, TestbedNode n, String text) {
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
        return testbed.exec(
                        n,
                        "ctr",
                        "-n",
                        "k8s.io",
                        "run",
                        "--rm",
                        "--snapshotter",
                        "native",
                        IMAGE,
                        "kk-echo-" + System.nanoTime(),
                        "/bin/echo",
                        text)
                .strip();
    }

    private static String curl(Path ca, TestbedNode registry, String path, boolean auth) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca.toString()));
        if (auth) {
            cmd.addAll(List.of("-u", USER + ":" + PASSWORD));
        }
        cmd.add("https://" + registry.address() + path);
        return exec(cmd).strip();
    }

    private static String curlBody(Path ca, TestbedNode registry, String path) throws Exception {
        return exec(List.of(
                "curl",
                "-sf",
                "--cacert",
                ca.toString(),
                "-u",
                USER + ":" + PASSWORD,
                "https://" + registry.address() + path));
    }

    /** The digest the private registry serves for the image's tag (asking for an OCI index). */
    private static String indexDigest(Path ca, TestbedNode registry) throws Exception {
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
                "https://" + registry.address() + "/v2/kubesphereio/busybox/manifests/1.35"));
        return headers.lines()
                .filter(l -> l.toLowerCase().startsWith("docker-content-digest:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse(headers);
    }

    /** etcdctl with node2's admin certificate. */
    private static Etcdctl etcd() {
        return new Etcdctl(workDir, "node2");
    }

    private static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static KkRun createCluster(Testbed testbed) {
        try {
            return KkRun.of(
                    "create",
                    "cluster",
                    "-f",
                    config(testbed).toString(),
                    "-a",
                    artifact.file().toString(),
                    "--dir",
                    workDir.toString(),
                    "--yes",
                    "--known-hosts",
                    knownHosts.toString(),
                    "--output",
                    "json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path config(Testbed testbed) throws java.io.IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: e2e}
                spec:
                  hosts:
                %s  roleGroups:
                    registry: [node1]
                    etcd: ["node[2:4]"]
                    control-plane: ["node[2:4]"]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, containerManager: containerd}
                  etcd: {type: kubekey}
                  registry:
                    privateRegistry: %s
                    namespaceOverride: kubesphereio
                    registryDataDir: /var/lib/kk-registry
                    auths:
                      %s: {username: %s, password: %s}
                """
                        .formatted(KkRun.hostsYaml(testbed), REGISTRY, REGISTRY, USER, PASSWORD));
        return file;
    }
}
