package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk create cluster} and {@code kk create phase} without hosts: the dry run prints every
 * host's plan and touches nothing (no connection, no work dir, no download, no known_hosts); the
 * phases that cannot run say why.
 */
class CreateClusterCommandTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    /** Three hosts on TEST-NET-1 (192.0.2.0/24): nothing answers there, so any connection would fail. */
    private Path config(String extra) throws Exception {
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
                    etcd: ["node[1:3]"]
                    control-plane: [node1]
                    worker: ["node[2:3]"]
                  kubernetes: {version: v1.28.2, proxyMode: iptables, containerManager: containerd%s}
                """
                        .formatted(extra));
        return file;
    }

    @Test
    void dryRunWithAConfigPrintsEveryHostsStepsAndTouchesNothing() throws Exception {
        Path work = dir.resolve("work");
        Path known = dir.resolve("known_hosts");
        int code = kk.run(
                "create",
                "cluster",
                "--dry-run",
                "-f",
                config("").toString(),
                "--dir",
                work.toString(),
                "--known-hosts",
                known.toString());
        assertThat(code).as(kk.err()).isZero();
        String plan = kk.out();
        assertThat(plan)
                .contains("create cluster: phases in order")
                .contains("[node1] 192.0.2.11")
                .contains("[node3] 192.0.2.13")
                .contains("etcd / etcd start")
                .contains("ETCD_INITIAL_CLUSTER=etcd-node1=https://192.0.2.11:2380,etcd-node2=https://192.0.2.12:2380,"
                        + "etcd-node3=https://192.0.2.13:2380")
                .contains("write /etc/ssl/etcd/ssl/member-node2-key.pem mode 0600")
                .contains("$ systemctl enable --now k8s-certs-renew.timer")
                .containsPattern("init +after download +kubeadm v1.28.2 is downloaded by the binary phase")
                .doesNotContain("s3cret-pw");
        // no artifact: the runtime's files come with the downloads, so its host steps are planned then
        assertThat(plan)
                .containsPattern("runtime +after download +planned once the binary phase has downloaded its files"
                        + " \\(now: .* has no containerd for amd64\\)");
        // the phases come in create cluster's order
        assertThat(plan.indexOf("  os ")).isLessThan(plan.indexOf("  etcd "));
        assertThat(plan.indexOf("  etcd ")).isLessThan(plan.indexOf("  certs-renew "));
        assertThat(plan.indexOf("  certs-renew ")).isLessThan(plan.indexOf("  init "));
        // the renew timer is only on the control plane
        String node2 = plan.substring(plan.indexOf("[node2]"), plan.indexOf("[node3]"));
        assertThat(node2).doesNotContain("k8s-certs-renew").contains("member-node2.pem");
        assertThat(work).doesNotExist();
        assertThat(known).doesNotExist();
    }

    @Test
    void dryRunNeverPrintsRegistryPasswordsOrOwnerOnlyFiles() throws Exception {
        Path file = dir.resolve("harbor.yaml");
        Files.writeString(
                file,
                """
                apiVersion: kubekey.kubesphere.io/v1alpha2
                kind: Cluster
                metadata: {name: dry}
                spec:
                  hosts:
                  - {name: node1, address: 192.0.2.11, user: root, password: "s3cret-pw"}
                  roleGroups:
                    etcd: [node1]
                    control-plane: [node1]
                    worker: [node1]
                    registry: [node1]
                  kubernetes: {version: v1.28.2, containerManager: containerd}
                  registry:
                    type: harbor
                    privateRegistry: dockerhub.kubekey.local
                    auths:
                      dockerhub.kubekey.local: {username: admin, password: "Harb0r-s3cret"}
                """);
        int code = kk.run(
                "create",
                "cluster",
                "--dry-run",
                "-f",
                file.toString(),
                "--dir",
                dir.resolve("w").toString());
        assertThat(code).as(kk.err()).isZero();
        assertThat(kk.out())
                .contains("write /opt/harbor/harbor.yml mode 0600")
                .contains("when different (contents not shown: an owner-only file may hold secrets)")
                .doesNotContain("Harb0r-s3cret")
                .doesNotContain("s3cret-pw");
        assertThat(kk.err()).doesNotContain("Harb0r-s3cret").doesNotContain("s3cret-pw");
    }

    /**
     * An artifact directory holding kubeadm, kubelet and kubectl (placeholder bytes: a dry run
     * only reads their checksums, nothing runs them): the plan goes on through init and join.
     */
    @Test
    void dryRunWithKubeadmInTheArtifactListsEveryHostsKubeadmStepsInOrder() throws Exception {
        Path artifact = dir.resolve("artifact");
        for (String b : List.of("kubeadm", "kubelet", "kubectl")) {
            Path f = artifact.resolve("kube/v1.28.2/amd64/" + b);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "placeholder " + b + "\n");
        }
        Path work = dir.resolve("work");
        int code = kk.run(
                "create",
                "cluster",
                "--dry-run",
                "-f",
                config("").toString(),
                "-a",
                artifact.toString(),
                "--dir",
                work.toString());
        assertThat(code).as(kk.err()).isZero();
        String plan = kk.out();
        assertThat(plan)
                .containsPattern("init +runs +kubeadm v1.28.2 \\(kubeadm.k8s.io/v1beta3\\) on node1")
                .containsPattern("join +runs ")
                .containsPattern("configure +runs +network plugin calico; coredns, nodelocaldns from node1")
                .contains("kubeadm v1.28.2 amd64: " + artifact.resolve("kube/v1.28.2/amd64/kubeadm") + " (artifact)")
                .containsPattern("containerd \\S+ amd64: .* <- missing from the artifact")
                .doesNotContain("then: ");
        String node1 = plan.substring(plan.indexOf("[node1]"), plan.indexOf("[node2]"));
        String node2 = plan.substring(plan.indexOf("[node2]"), plan.indexOf("[node3]"));
        String node3 = plan.substring(plan.indexOf("[node3]"));
        String init = "/usr/local/bin/kubeadm init --config=/etc/kubernetes/kubeadm-config.yaml";
        String join = "/usr/local/bin/kubeadm join --config=/etc/kubernetes/kubeadm-config.yaml";
        assertInOrder(
                node1,
                "/usr/local/bin/kubeadm sha256",
                "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
                "test -f /etc/kubernetes/admin.conf",
                "kind: InitConfiguration",
                init,
                "cat /etc/kubernetes/admin.conf",
                "/usr/local/bin/kubeadm token create",
                "node-role.kubernetes.io/worker=");
        assertThat(node1).doesNotContain(join).doesNotContain("upload-certs --upload-certs");
        for (String worker : List.of(node2, node3)) {
            assertInOrder(
                    worker,
                    "/usr/local/bin/kubelet sha256",
                    "if [ -f /etc/kubernetes/kubelet.conf ]; then if systemctl is-active --quiet kubelet",
                    join);
            assertThat(worker).doesNotContain(init);
        }
        assertThat(work).doesNotExist();
    }

    private static void assertInOrder(String text, String... parts) {
        int from = 0;
        for (String p : parts) {
            int i = text.indexOf(p, from);
            assertThat(i)
                    .as("'" + p + "' after position " + from + " in\n" + text)
                    .isGreaterThanOrEqualTo(0);
            from = i + p.length();
        }
    }

    @Test
    void dryRunWithoutAConfigIsTheAllInOneClusterOnThisMachine() {
        Path work = dir.resolve("work");
        int code = kk.run("create", "cluster", "--dry-run", "--with-kubernetes", "v1.28.2", "--dir", work.toString());
        assertThat(code).as(kk.err()).isZero();
        assertThat(kk.out())
                .contains("plan: create cluster (1 hosts)")
                .contains("roles=[control-plane, etcd, worker]")
                .contains("etcd / etcd health")
                // without -a the binaries are downloaded first: the dry run names the URL
                .contains("<- https://github.com/coreos/etcd/releases/download/")
                // every binary the phases need, each with where it comes from
                .contains("kubeadm v1.28.2 amd64: " + work.resolve("kube/v1.28.2/amd64/kubeadm")
                        + " <- https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubeadm")
                .contains("<- https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubelet")
                .contains("<- https://dl.k8s.io/release/v1.28.2/bin/linux/amd64/kubectl")
                .contains("<- https://get.helm.sh/helm-")
                .contains("<- https://github.com/containernetworking/plugins/releases/download/")
                .contains("<- https://github.com/kubernetes-sigs/cri-tools/releases/download/")
                .contains("<- https://github.com/containerd/containerd/releases/download/")
                .contains("<- https://github.com/opencontainers/runc/releases/download/")
                .containsPattern("init +after download +kubeadm v1.28.2 is downloaded by the binary phase");
        assertThat(work).doesNotExist();
    }

    @Test
    void dryRunAsJsonListsPhasesAndHostSteps() throws Exception {
        int code = kk.run(
                "create",
                "cluster",
                "--dry-run",
                "--output",
                "json",
                "-f",
                config("").toString(),
                "--dir",
                dir.resolve("work").toString());
        assertThat(code).as(kk.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(kk.out());
        assertThat(json.get("phases").get(0).get("phase").asText()).isEqualTo("BINARY");
        assertThat(json.get("hosts").get("hosts")).hasSize(3);
        // without -a nothing stops the plan: kubeadm comes with the downloads
        assertThat(json.get("stop").asText()).isEmpty();
        assertThat(json.get("phases").get(7).get("phase").asText()).isEqualTo("INIT");
        assertThat(json.get("phases").get(7).get("state").asText()).isEqualTo("AFTER_DOWNLOAD");
    }

    @Test
    void autoRenewCertsFalsePlansTheTimersRemoval() throws Exception {
        int code = kk.run(
                "create",
                "phase",
                "certs-renew",
                "--dry-run",
                "-f",
                config(", autoRenewCerts: false").toString(),
                "--dir",
                dir.resolve("work").toString());
        assertThat(code).as(kk.err()).isZero();
        assertThat(kk.out())
                .contains("autoRenewCerts: false")
                .contains("systemctl disable --now k8s-certs-renew.timer")
                .doesNotContain("etcd / etcd");
    }

    @Test
    void aKubernetesPhaseSaysItNeedsKubeadm() throws Exception {
        // an artifact without kubeadm (without -a, kk would download it first)
        Path artifact = Files.createDirectories(dir.resolve("artifact-without-kubeadm"));
        int code = kk.run(
                "create",
                "phase",
                "init",
                "--yes",
                "-f",
                config("").toString(),
                "-a",
                artifact.toString(),
                "--dir",
                dir.resolve("work").toString());
        assertThat(code).isEqualTo(3);
        assertThat(kk.err())
                .contains("kubeadm v1.28.2 for amd64 is not in")
                .contains("the Kubernetes phases (init, join, configure, addons, kubesphere) need it");
    }

    @Test
    void withoutYesANonInteractiveRunIsRefusedWithAHint() throws Exception {
        Path known = dir.resolve("known_hosts");
        int code = kk.run(
                "create",
                "phase",
                "etcd",
                "-f",
                config("").toString(),
                "--dir",
                dir.resolve("work").toString(),
                "--known-hosts",
                known.toString());
        assertThat(code).isEqualTo(2);
        assertThat(kk.err()).contains("stdin is not a terminal").contains("--yes");
        assertThat(known).doesNotExist();
    }

    @Test
    void anUnknownPhaseListsTheKnownOnes() {
        int code = kk.run("create", "phase", "kubelet", "--dry-run");
        assertThat(code).isEqualTo(2);
        assertThat(kk.err())
                .contains("unknown phase 'kubelet'")
                .contains("etcd")
                .contains("kubesphere");
    }

    @Test
    void withoutAnArtifactTheRuntimeComesFromTheMirrorAndAWrongFileIsRefusedAndNotKept() throws Exception {
        // a mirror that answers every path with bytes no published checksum matches
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer mirror =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        mirror.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath());
            byte[] body = "not the release file\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mirror.start();
        Path work = dir.resolve("work");
        try {
            int code = kk.run(
                    "create",
                    "phase",
                    "runtime",
                    "--yes",
                    "-f",
                    config("").toString(),
                    "--dir",
                    work.toString(),
                    "--known-hosts",
                    dir.resolve("known_hosts").toString(),
                    "--download-mirror",
                    "http://127.0.0.1:" + mirror.getAddress().getPort() + "/m");
            assertThat(code).as(kk.err()).isNotZero();
            assertThat(kk.err()).containsIgnoringCase("sha256").doesNotContain("s3cret-pw");
        } finally {
            mirror.stop(0);
        }
        // the runtime phase's files are fetched from the mirror before any host is contacted
        // (the first refused file stops the run), and only the runtime phase's files are asked for
        assertThat(asked)
                .isNotEmpty()
                .allMatch(p ->
                        p.matches("/m/github.com/(containerd|containernetworking|opencontainers|kubernetes-sigs)/.*"));
        try (var files = Files.walk(work)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                    .noneMatch(f -> f.endsWith(".tar.gz") || f.endsWith(".tgz") || f.endsWith("runc.amd64"));
        }
    }
}
