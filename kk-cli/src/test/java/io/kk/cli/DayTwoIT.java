package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.image.layout.OciLayout;
import io.kk.iso.Iso9660;
import io.kk.testkit.iso.DebRepoIso;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.testbed.Testbed;
import io.kk.testkit.testbed.TestbedNode;
import io.kk.testkit.testbed.TestbedNodes;
import io.kk.testkit.upstream.TestUpstream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Day two on five real nodes: {@code kk create cluster -a} delivers registry (node1), runtime
 * (node2-4) and etcd (node2, node3) from an artifact; {@code kk add nodes} adds node5 with the
 * others left as they were; {@code kk certs check-expiration} lists the real etcd and registry
 * certificates (compared with openssl on the node); {@code kk certs renew} re-issues them and etcd
 * answers healthy with the new client certificate; {@code kk delete cluster --all --yes} leaves the
 * nodes' files and units as they were before create cluster, and a second delete changes nothing.
 * The nodes have the OS packages kk's OS phase wants installed beforehand (an operator's base
 * image), so the comparison is about what kk itself put there.
 */
@TestbedNodes(count = 5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DayTwoIT {
    static final String USER = "kkpush";
    static final String PASSWORD = "s3cret-Registry-pw";
    static final List<String> PACKAGES =
            List.of("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony", "openssl", "curl");
    /** Where kk works: compared before create cluster and after delete cluster. */
    static final String WATCHED = "/etc /usr/local /usr/bin /usr/sbin /opt /var/lib /var/backups /root";
    /**
     * What the OS writes on its own, kk or not: chrony's drift file, the OS timers' stamps, dpkg's
     * own database (seen: an info file of a library dpkg dropped while kk ran; kk never writes there).
     */
    static final Pattern OS_NOISE = Pattern.compile(
            "^/var/lib/chrony/.*|^/var/lib/systemd/timers/stamp-(?!k8s-certs-renew|backup-etcd).*|^/var/lib/dpkg/.*");

    @TempDir
    static Path dir;

    static Path artifactDir;
    static Path workDir;
    static Path knownHosts;
    static Path packageIso;
    static final Map<String, List<String>> filesBefore = new LinkedHashMap<>();
    static final Map<String, List<String>> unitsBefore = new LinkedHashMap<>();

    @BeforeAll
    static void artifact() throws Exception {
        artifactDir = dir.resolve("artifact");
        workDir = dir.resolve("kubekey");
        knownHosts = dir.resolve("known_hosts");
        TestArtifacts.placeReleaseFiles(
                dir.resolve("upstream"),
                artifactDir,
                Map.of(
                        "containerd-" + TestUpstream.CONTAINERD + "-linux-amd64.tar.gz",
                        "containerd/" + TestUpstream.CONTAINERD,
                        "runc.amd64",
                        "runc/" + TestUpstream.RUNC,
                        "cni-plugins-linux-amd64-" + TestUpstream.CNI + ".tgz",
                        "cni/" + TestUpstream.CNI,
                        TestUpstream.registryFile(),
                        "registry/registry/" + TestUpstream.REGISTRY,
                        "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz",
                        "etcd/" + TestUpstream.ETCD));
        TestImages.busybox(OciLayout.create(artifactDir.resolve("images")), "docker.io/library/busybox:1.35");
        packageIso = DebRepoIso.of(PACKAGES);
    }

    @Test
    @Order(1)
    void createClusterDeliversRegistryRuntimeAndEtcdToFourNodes(Testbed testbed) throws Exception {
        List<CompletableFuture<Void>> installs = new ArrayList<>();
        for (TestbedNode n : testbed.nodes()) {
            installs.add(CompletableFuture.runAsync(() -> preinstallPackages(testbed, n)));
        }
        for (CompletableFuture<Void> f : installs) {
            f.get(10, TimeUnit.MINUTES);
        }
        for (TestbedNode n : testbed.nodes()) {
            filesBefore.put(n.hostname(), files(testbed, n));
            unitsBefore.put(n.hostname(), units(testbed, n));
        }

        KkRun create =
                kk(testbed, 4, "create", "cluster", "-a", artifactDir.toString(), "--dir", workDir.toString(), "--yes");
        // no kubeadm in this artifact: everything before the Kubernetes phases, then a clear stop
        assertThat(create.exit()).as(create.err()).isEqualTo(3);
        assertThat(create.err()).contains("create cluster stopped").contains("kubeadm");
        etcdMembersHealthy(testbed, "node2");
        for (int i = 2; i <= 4; i++) {
            assertThat(testbed.exec(testbed.node(i), "systemctl", "is-active", "containerd")
                            .strip())
                    .isEqualTo("active");
        }
        assertThat(testbed.exec(testbed.node(1), "systemctl", "is-active", "registry")
                        .strip())
                .isEqualTo("active");
        assertThat(
                        testbed.exec(
                                testbed.node(5),
                                "sh",
                                "-c",
                                "ls /etc/systemd/system/containerd.service /etc/systemd/system/etcd.service 2>/dev/null || true"))
                .isEmpty();
    }

    @Test
    @Order(2)
    void addNodesSetsUpTheFifthNodeAndLeavesTheOthersAsTheyWere(Testbed testbed) throws Exception {
        Map<String, String> started = started(testbed);

        KkRun add = kk(
                testbed,
                5,
                "add",
                "nodes",
                "-a",
                artifactDir.toString(),
                "--dir",
                workDir.toString(),
                "--yes",
                "--output",
                "json");

        assertThat(add.exit()).as(add.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(add.out());
        assertThat(result.get("ok").asBoolean()).isTrue();
        assertThat(result.get("stop").asText()).contains("kubeadm");
        for (JsonNode h : result.get("hosts")) {
            String host = h.get("host").asText();
            if (host.equals("node5")) {
                assertThat(h.get("existing").asBoolean()).isFalse();
                assertThat(h.get("changed").asInt()).isPositive();
                continue;
            }
            assertThat(h.get("existing").asBoolean()).as(host).isTrue();
            // the only change on a node already there: node5's line in KubeKey's /etc/hosts block
            List<String> changes = new ArrayList<>();
            h.get("changes").forEach(c -> changes.add(c.asText()));
            assertThat(changes).as(host).containsExactly("configure os / hostname and hosts / /etc/hosts");
            assertThat(testbed.exec(testbed.node(Integer.parseInt(host.substring(4))), "getent", "hosts", "node5"))
                    .contains(testbed.node(5).address());
        }
        assertThat(started(testbed))
                .as("nothing restarted on the nodes already there")
                .isEqualTo(started);
        TestbedNode node5 = testbed.node(5);
        assertThat(testbed.exec(node5, "systemctl", "is-active", "containerd").strip())
                .isEqualTo("active");
        assertThat(testbed.exec(node5, "cat", "/etc/containerd/certs.d/dockerhub.kubekey.local/ca.crt"))
                .isEqualTo(Files.readString(workDir.resolve("pki/registry/ca.pem")));
        assertThat(testbed.exec(node5, "getent", "hosts", "dockerhub.kubekey.local"))
                .contains(testbed.node(1).address());
    }

    @Test
    @Order(3)
    void checkExpirationListsTheRealEtcdAndRegistryCertificates(Testbed testbed) throws Exception {
        KkRun check = kk(testbed, 5, "certs", "check-expiration", "--output", "json");
        assertThat(check.exit()).as(check.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(check.out()).get("certificates");
        Map<String, JsonNode> byHostPath = new LinkedHashMap<>();
        rows.forEach(
                r -> byHostPath.put(r.get("host").asText() + ":" + r.get("path").asText(), r));
        List<String> expected = List.of(
                "node2:/etc/ssl/etcd/ssl/ca.pem",
                "node2:/etc/ssl/etcd/ssl/admin-node2.pem",
                "node2:/etc/ssl/etcd/ssl/member-node2.pem",
                "node2:/etc/ssl/etcd/ssl/node-node2.pem",
                "node3:/etc/ssl/etcd/ssl/member-node3.pem",
                "node1:/etc/ssl/registry/ssl/ca.pem",
                "node1:/etc/ssl/registry/ssl/dockerhub.kubekey.local.pem");
        assertThat(byHostPath).containsKeys(expected.toArray(String[]::new));
        // no key, and nothing on the hosts kk put no certificate on
        assertThat(byHostPath.keySet()).noneMatch(k -> k.endsWith("-key.pem")).noneMatch(k -> k.startsWith("node4:"));
        for (String key : expected) {
            JsonNode row = byHostPath.get(key);
            TestbedNode n = testbed.node(Integer.parseInt(key.substring(4, 5)));
            Instant openssl = opensslEnd(testbed, n, row.get("path").asText());
            assertThat(Instant.parse(row.get("expires").asText())).as(key).isEqualTo(openssl);
            assertThat(row.get("serial").asText())
                    .as(key)
                    .isEqualToIgnoringCase(
                            opensslSerial(testbed, n, row.get("path").asText()));
            assertThat(row.get("daysLeft").asLong()).as(key).isBetween(3648L, 3650L);
        }
        assertThat(byHostPath
                        .get("node2:/etc/ssl/etcd/ssl/member-node2.pem")
                        .get("subject")
                        .asText())
                .isEqualTo("CN=etcd-member-node2");
        assertThat(byHostPath
                        .get("node2:/etc/ssl/etcd/ssl/member-node2.pem")
                        .get("certificateAuthority")
                        .asText())
                .isEqualTo("CN=etcd-ca");

        KkRun text = kk(testbed, 5, "certs", "check-expiration");
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out())
                .contains("RESIDUAL TIME")
                .contains("/etc/ssl/etcd/ssl/member-node3.pem")
                .contains("9y");
    }

    @Test
    @Order(4)
    void renewReissuesEtcdAndRegistryCertificatesAndEtcdStaysHealthy(Testbed testbed) throws Exception {
        String member = "/etc/ssl/etcd/ssl/member-node2.pem";
        String registryCert = "/etc/ssl/registry/ssl/dockerhub.kubekey.local.pem";
        String memberSerial = opensslSerial(testbed, testbed.node(2), member);
        String registrySerial = opensslSerial(testbed, testbed.node(1), registryCert);
        String caBefore = Files.readString(workDir.resolve("pki/etcd/ca.pem"));
        Map<String, String> started = started(testbed);
        Thread.sleep(1100); // notAfter has a resolution of one second: let it move

        KkRun renew = kk(
                testbed,
                5,
                "certs",
                "renew",
                "--force", // every certificate, as without --threshold-days (kk's are valid ten years)
                "--dir",
                workDir.toString());

        assertThat(renew.exit()).as(renew.err()).isZero();
        assertThat(renew.out())
                .contains("etcd member-node2.pem: serial")
                .contains("registry dockerhub.kubekey.local.pem");
        assertThat(opensslSerial(testbed, testbed.node(2), member)).isNotEqualToIgnoringCase(memberSerial);
        assertThat(opensslSerial(testbed, testbed.node(1), registryCert)).isNotEqualToIgnoringCase(registrySerial);
        assertThat(Files.readString(workDir.resolve("pki/etcd/ca.pem"))).isEqualTo(caBefore);
        // healthy, asked with the new client certificate from the work dir
        etcdMembersHealthy(testbed, "node3");
        assertThat(testbed.exec(testbed.node(2), "cat", "/etc/ssl/etcd/ssl/admin-node2.pem"))
                .isEqualTo(Files.readString(workDir.resolve("pki/etcd/admin-node2.pem")));
        // restarted: etcd and the registry; not containerd
        Map<String, String> now = started(testbed);
        assertThat(now.get("node2 etcd")).isNotEqualTo(started.get("node2 etcd"));
        assertThat(now.get("node3 etcd")).isNotEqualTo(started.get("node3 etcd"));
        assertThat(now.get("node1 registry")).isNotEqualTo(started.get("node1 registry"));
        assertThat(now.get("node4 containerd")).isEqualTo(started.get("node4 containerd"));
        assertThat(curl(
                        workDir.resolve("pki/registry/ca.pem"),
                        "https://" + testbed.node(1).address() + "/v2/"))
                .isEqualTo("401");
    }

    @Test
    @Order(5)
    void deleteClusterLeavesTheNodesAsBeforeAndASecondRunChangesNothing(Testbed testbed) throws Exception {
        KkRun delete = kk(testbed, 5, "delete", "cluster", "--all", "--yes");
        assertThat(delete.exit()).as(delete.err()).isZero();
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (TestbedNode n : testbed.nodes()) {
            differences.put(n.hostname() + " files", diff(filesBefore.get(n.hostname()), files(testbed, n)));
            differences.put(n.hostname() + " units", diff(unitsBefore.get(n.hostname()), units(testbed, n)));
            differences.put(
                    n.hostname() + " processes",
                    testbed.exec(n, "sh", "-c", "pgrep -a -x 'etcd|containerd|registry' || true")
                            .lines()
                            .toList());
        }
        assertThat(differences).allSatisfy((what, d) -> assertThat(d).as(what).isEmpty());

        KkRun again = kk(testbed, 5, "delete", "cluster", "--all", "--yes", "--output", "json");
        assertThat(again.exit()).as(again.err()).isZero();
        for (JsonNode h : new ObjectMapper().readTree(again.out()).get("hosts")) {
            assertThat(h.get("changed").asInt()).as(h.toString()).isZero();
        }
    }

    // --- helpers ---

    /** The OS packages installed from the Debian repository ISO, as an operator's base image has them. */
    static void preinstallPackages(Testbed testbed, TestbedNode n) {
        String lists = "-o Dir::Etc::SourceList=/tmp/pre.list -o Dir::Etc::SourceParts=/dev/null"
                + " -o Dir::State::Lists=/tmp/pre-lists";
        String script = "set -e; mkdir -p /tmp/pre /tmp/pre-lists/partial; tar -x -C /tmp/pre;"
                + " echo 'deb [trusted=yes] file:///tmp/pre ./' > /tmp/pre.list; export DEBIAN_FRONTEND=noninteractive;"
                + " apt-get " + lists + " update -qq; apt-get " + lists + " install -y -qq --no-install-recommends "
                + String.join(" ", PACKAGES) + " >/dev/null; rm -rf /tmp/pre /tmp/pre.list /tmp/pre-lists";
        try {
            Process p = new ProcessBuilder(
                            "ssh",
                            "-i",
                            testbed.privateKey().toString(),
                            "-o",
                            "StrictHostKeyChecking=no",
                            "-o",
                            "UserKnownHostsFile=/dev/null",
                            "-o",
                            "BatchMode=yes",
                            "-o",
                            "LogLevel=ERROR",
                            "root@" + n.address(),
                            script)
                    .redirectErrorStream(true)
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                Iso9660.toTar(packageIso, in);
            }
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(n.hostname() + ": " + out.get()).isZero();
        } catch (Exception e) {
            throw new IllegalStateException(n.hostname() + ": package install failed", e);
        }
    }

    static List<String> files(Testbed testbed, TestbedNode n) {
        return testbed.exec(n, "sh", "-c", "find " + WATCHED + " -xdev 2>/dev/null | sort")
                .lines()
                .filter(l -> !OS_NOISE.matcher(l).matches())
                .toList();
    }

    /** "+ path" for what is there now and was not, "- path" for what was and is gone. */
    static List<String> diff(List<String> before, List<String> after) {
        List<String> out = new ArrayList<>();
        after.stream().filter(p -> !before.contains(p)).forEach(p -> out.add("+ " + p));
        before.stream().filter(p -> !after.contains(p)).forEach(p -> out.add("- " + p));
        return out;
    }

    static List<String> units(Testbed testbed, TestbedNode n) {
        return testbed.exec(n, "sh", "-c", "systemctl list-unit-files --no-legend --no-pager | awk '{print $1}' | sort")
                .lines()
                .toList();
    }

    /** When each of kk's services last started, by "host unit" (a restart changes it). */
    static Map<String, String> started(Testbed testbed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] hu : new String[][] {
            {"1", "registry"},
            {"2", "etcd"},
            {"3", "etcd"},
            {"2", "containerd"},
            {"3", "containerd"},
            {"4", "containerd"}
        }) {
            TestbedNode n = testbed.node(Integer.parseInt(hu[0]));
            out.put(
                    n.hostname() + " " + hu[1],
                    testbed.exec(n, "systemctl", "show", "-p", "ActiveEnterTimestampMonotonic", hu[1])
                            .strip());
        }
        return out;
    }

    static Instant opensslEnd(Testbed testbed, TestbedNode n, String path) {
        String end = testbed.exec(n, "openssl", "x509", "-enddate", "-noout", "-in", path)
                .strip();
        // notAfter=Nov 21 18:00:00 2036 GMT
        String date = end.substring(end.indexOf('=') + 1).replaceAll("\\s+", " ");
        return ZonedDateTime.parse(date, DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ENGLISH))
                .toInstant();
    }

    static String opensslSerial(Testbed testbed, TestbedNode n, String path) {
        String s = testbed.exec(n, "openssl", "x509", "-serial", "-noout", "-in", path)
                .strip();
        return s.substring(s.indexOf('=') + 1).replaceFirst("^0+", "");
    }

    /** Both etcd members (node2, node3) answer healthy to etcdctl with {@code admin}'s certificate. */
    static void etcdMembersHealthy(Testbed testbed, String admin) throws Exception {
        new Etcdctl(workDir, admin).assertHealthy(List.of(testbed.node(2), testbed.node(3)));
    }

    static String curl(Path ca, String url) throws Exception {
        Process p = new ProcessBuilder(
                        "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca.toString(), url)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }

    /** kk with {@code args}, on the config of the first {@code count} nodes and the run's known_hosts. */
    static KkRun kk(Testbed testbed, int count, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", config(testbed, count).toString(), "--known-hosts", knownHosts.toString()));
        return KkRun.of(all.toArray(String[]::new));
    }

    /** The first {@code count} testbed nodes; roles: registry node1, etcd node2+3, control plane node2, workers. */
    static Path config(Testbed testbed, int count) throws Exception {
        List<TestbedNode> nodes = testbed.nodes().subList(0, count);
        String hosts = KkRun.hostsYaml(testbed, nodes);
        List<String> workers = new ArrayList<>();
        for (TestbedNode n : nodes) {
            if (!List.of("node1", "node2").contains(n.hostname())) {
                workers.add(n.hostname());
            }
        }
        Path file = dir.resolve("config-" + count + ".yaml");
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
                    etcd: [node2, node3]
                    control-plane: [node2]
                    worker: [%s]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, containerManager: containerd}
                  etcd: {type: kubekey}
                  registry:
                    namespaceOverride: kubesphereio
                    registryDataDir: /var/lib/kk-registry
                    auths:
                      dockerhub.kubekey.local: {username: %s, password: %s}
                """
                        .formatted(hosts, String.join(", ", workers), USER, PASSWORD));
        return file;
    }
}
