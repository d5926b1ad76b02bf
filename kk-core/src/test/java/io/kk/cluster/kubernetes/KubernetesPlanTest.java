package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.etcd.EtcdPki;
import io.kk.cluster.etcd.EtcdRequest;
import io.kk.cluster.install.FileInstall;
import io.kk.event.Event;
import io.kk.plan.FakeHost;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Outcome;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import io.kk.plan.RemoteFactory;
import io.kk.plan.Role;
import io.kk.plan.RunOptions;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init and join phases against fake hosts that keep a little kubeadm state (admin.conf,
 * kubelet.conf, the CA): the order of the commands across hosts, the credentials minted on the
 * first control plane reaching the join files, and the idempotence checks. Nothing here runs
 * kubeadm: the fake answers its commands as a cluster would.
 */
class KubernetesPlanTest {
    static final String TOKEN = "k8sabc.0123456789abcdef";
    static final String CERT_KEY = "0123456789abcdef".repeat(4);
    static final String ADMIN_CONF = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: QUJD\n"
            + "    server: https://lb.kubesphere.local:6443\n  name: cluster.local\n";

    static final List<Target> HOSTS = List.of(
            Target.of("master1", "10.0.0.11", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("master2", "10.0.0.12", "amd64", Role.CONTROL_PLANE, Role.ETCD),
            Target.of("worker1", "10.0.0.21", "amd64", Role.WORKER));

    @TempDir
    Path tmp;

    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    /** Every command on every host, "host: script", in the order they ran. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** What arrived through stdin at {@code cat > PATH}, by "host:path". */
    private final Map<String, String> written = Collections.synchronizedMap(new LinkedHashMap<>());

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inits = new AtomicInteger();
    /** A marker file on a fake host: its kubelet is stopped. */
    static final String KUBELET_STOPPED = "(kubelet stopped)";
    /** The nodes the cluster knows (kubectl get node answers for them). */
    private final java.util.Set<String> inCluster = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Nodes that never turn Ready. */
    private final java.util.Set<String> notReady = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static String caPem;

    @BeforeAll
    static void ca(@TempDir Path pki) {
        caPem = new EtcdPki(pki, EtcdRequest.certHosts(HOSTS), "", Clock.systemUTC()).file("ca.pem");
    }

    @BeforeEach
    void fleet() {
        for (Target t : HOSTS) {
            FakeHost h = new FakeHost(t.name());
            // FileInstall: the checksum check passes once the install script has run on the host
            h.on(
                    "printf .* \\| sha256sum -c .*",
                    m -> FakeHost.result(h.files.containsKey("(installed)") ? 0 : 1, "", ""));
            h.on("set -e; cd .*install -D -m 0755 .*", m -> {
                h.files.put("(installed)", "yes");
                return FakeHost.ok("");
            });
            h.on(
                    Pattern.quote(KubeadmCommands.clusterExists()),
                    m -> FakeHost.result(h.files.containsKey(KubeadmCommands.ADMIN_CONF) ? 0 : 1, "", ""));
            h.on(
                    Pattern.quote(KubernetesPlan.joinStateProbe()),
                    m -> FakeHost.ok(
                            !h.files.containsKey(KubernetesPlan.KUBELET_CONF)
                                    ? "not-joined\n"
                                    : h.files.containsKey(KUBELET_STOPPED) ? "kubelet-stopped\n" : "joined\n"));
            h.on(
                    Pattern.quote(KubernetesPlan.KUBELET_ACTIVE),
                    m -> FakeHost.result(h.files.containsKey(KUBELET_STOPPED) ? 3 : 0, "", ""));
            // kube-apiserver is a static pod: it serves while the first control plane's kubelet runs
            h.on(
                    Pattern.quote(KubernetesPlan.apiserverServes()),
                    m -> FakeHost.result(hosts.get("master1").files.containsKey(KUBELET_STOPPED) ? 1 : 0, "", ""));
            h.on(Pattern.quote(KubernetesPlan.RESTART_KUBELET), m -> {
                h.files.remove(KUBELET_STOPPED);
                return FakeHost.ok("");
            });
            h.on(".*/kubeadm reset -f.*", m -> {
                h.files.remove(KubernetesPlan.KUBELET_CONF);
                return FakeHost.ok("");
            });
            // the first control plane answers for the cluster: which nodes it knows, which are Ready
            h.on(
                    ".*/kubectl --kubeconfig /etc/kubernetes/admin.conf get node '?([\\w-]+)'? -o name",
                    m -> FakeHost.result(
                            inCluster.contains(m.group(1)) ? 0 : 1,
                            "",
                            "Error from server (NotFound): nodes not found"));
            h.on(
                    ".*/kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready node/'?([\\w-]+)'?.*",
                    m -> FakeHost.result(
                            !hosts.get(m.group(1)).files.containsKey(KUBELET_STOPPED) && !notReady.contains(m.group(1))
                                    ? 0
                                    : 1,
                            "",
                            "error: timed out waiting for the condition on nodes/" + m.group(1)));
            h.on(".*/kubeadm init --config=.*", m -> {
                inits.incrementAndGet();
                h.files.put(KubeadmCommands.ADMIN_CONF, ADMIN_CONF);
                h.files.put(KubernetesPlan.CA_CERT, caPem);
                h.files.put(KubernetesPlan.KUBELET_CONF, "kubelet");
                inCluster.add(t.name());
                return FakeHost.ok("Your Kubernetes control-plane has initialized successfully!\n");
            });
            h.on(".*/kubeadm join --config=.*", m -> {
                if (h.files.containsKey(KubernetesPlan.KUBELET_CONF)) {
                    return FakeHost.result(1, "", "[ERROR FileAvailable--etc-kubernetes-kubelet.conf]: exists");
                }
                h.files.put(KubernetesPlan.KUBELET_CONF, "kubelet");
                inCluster.add(t.name());
                return FakeHost.ok("This node has joined the cluster\n");
            });
            h.on(
                    Pattern.quote(KubeadmCommands.uploadCerts()),
                    m -> FakeHost.ok("[upload-certs] Using certificate key:\n" + CERT_KEY + "\n"));
            h.on(Pattern.quote(KubeadmCommands.tokenCreate()), m -> FakeHost.ok(TOKEN + "\n"));
            hosts.put(t.name(), h);
        }
    }

    /** FakeHost's recording remotes, plus what {@code cat > PATH} received on stdin. */
    private RemoteFactory remotes() {
        return FakeHost.recording(hosts, log, (t, command) -> {
            var m = Pattern.compile(".*cat > (\\S+)$").matcher(command.script());
            if (m.matches() && !command.stdin().isEmpty()) {
                written.put(t.name() + ":" + m.group(1), command.stdin());
                hosts.get(t.name()).files.put(m.group(1), command.stdin());
            }
        });
    }

    private static List<KubeNode> nodes() {
        return List.of(
                new KubeNode("master1", "192.168.0.11", "10.0.0.11", true, false),
                new KubeNode("master2", "192.168.0.12", "10.0.0.12", true, false),
                new KubeNode("worker1", "192.168.0.21", "10.0.0.21", false, true));
    }

    private KubernetesRequest request(String version, ControlPlaneEndpoint endpoint) throws Exception {
        KubeadmSettings s = Scenarios.base(version, ContainerRuntime.CONTAINERD, ImageRewrite.none())
                .nodes(nodes())
                .controlPlaneEndpoint(endpoint)
                .etcd(Scenarios.kubekeyEtcd(nodes()))
                .build();
        List<FileInstall.Plan> plans = new ArrayList<>();
        for (String b : List.of("kubeadm", "kubelet", "kubectl")) {
            // placeholder bytes: uploaded to the fake hosts, never executed
            Path f = Files.writeString(tmp.resolve(b), "placeholder " + b + "\n");
            plans.add(FileInstall.file(f, "/usr/local/bin/" + b));
        }
        return new KubernetesRequest(
                s, "master1", Map.of("amd64", plans), tmp.resolve("work/config-test"), "https://192.168.0.11:6443");
    }

    private static Pipeline pipeline(KubernetesRequest r) {
        List<Module> modules = new ArrayList<>();
        modules.add(KubernetesPlan.binaries(r));
        modules.add(KubernetesPlan.init(r));
        modules.addAll(KubernetesPlan.join(r));
        return new Pipeline("create cluster", modules);
    }

    private PlanReport run(KubernetesRequest r) {
        return run(r, HOSTS);
    }

    private PlanReport run(KubernetesRequest r, List<Target> inventory) {
        return new PlanRunner(remotes(), RunOptions.defaults(), events::add, Clock.systemUTC(), d -> {})
                .run(pipeline(r), new Inventory(inventory));
    }

    private int at(String hostAndCommand) {
        synchronized (log) {
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i).startsWith(hostAndCommand)) {
                    return i;
                }
            }
        }
        throw new AssertionError("never ran: " + hostAndCommand + "\n" + String.join("\n", log));
    }

    private long count(String hostAndCommand) {
        synchronized (log) {
            return log.stream().filter(l -> l.startsWith(hostAndCommand)).count();
        }
    }

    @Test
    void aFreshClusterIsInitialisedThenControlPlanesThenWorkersJoinWithFreshCredentials() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.haproxy());
        PlanReport report = run(r);

        assertThat(report.ok())
                .as(report.toString() + "\n" + String.join("\n", log))
                .isTrue();
        String init = "master1: " + KubeadmCommands.init(r.settings(), true);
        // the init file is in place before kubeadm reads it; binaries and kubelet before either
        assertThat(at("master1: (upload) /tmp/kk-install-")).isLessThan(at("master1: (upload) " + KubeadmConfigs.PATH));
        assertThat(at("master1: (upload) " + KubeletFiles.DROP_IN_PATH))
                .isLessThan(at("master1: (upload) " + KubeadmConfigs.PATH));
        assertThat(at("master1: (upload) " + KubeadmConfigs.PATH)).isLessThan(at(init));
        assertThat(count(init)).isEqualTo(1);
        assertThat(hosts.get("master1").files.get(KubeadmConfigs.PATH))
                .contains("apiVersion: kubeadm.k8s.io/v1beta3")
                .contains("kind: ClusterConfiguration")
                .contains("controlPlaneEndpoint: lb.kubesphere.local:6443");
        // credentials minted after init, control planes joined before workers
        int uploadCerts = at("master1: " + KubeadmCommands.uploadCerts());
        int token = at("master1: " + KubeadmCommands.tokenCreate());
        int joinMaster2 = at("master2: " + KubeadmCommands.join());
        int joinWorker = at("worker1: " + KubeadmCommands.join());
        assertThat(at(init)).isLessThan(uploadCerts);
        assertThat(uploadCerts).isLessThan(token);
        assertThat(token).isLessThan(joinMaster2);
        assertThat(joinMaster2).isLessThan(joinWorker);
        assertThat(count("master1: " + KubeadmCommands.join())).isZero();

        // the join files hold exactly what master1 minted: the token, the key (control planes only)
        // and the hash of the CA the cluster runs with
        String hash = KubeadmCommands.caCertHash(
                (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(caPem.getBytes())));
        String cpJoin = written.get("master2:" + KubeadmConfigs.PATH);
        assertThat(cpJoin)
                .isEqualTo(KubeadmConfigs.join(
                        r.settings(), "master2", new JoinCredentials(TOKEN, CERT_KEY, List.of(hash))));
        assertThat(cpJoin).contains("certificateKey: " + CERT_KEY).contains(hash);
        String workerJoin = written.get("worker1:" + KubeadmConfigs.PATH);
        assertThat(workerJoin)
                .isEqualTo(KubeadmConfigs.join(r.settings(), "worker1", new JoinCredentials(TOKEN, "", List.of(hash))));
        assertThat(workerJoin).doesNotContain(CERT_KEY).doesNotContain("controlPlane");
        // the join file never goes through a command line or a local temp file
        assertThat(log).noneMatch(l -> l.contains(TOKEN));

        // haproxy on the worker once it has joined; kube-proxy pointed at 127.0.0.1 from master1
        assertThat(at("worker1: (upload) " + LoadBalancerFiles.HAPROXY_MANIFEST_PATH))
                .isGreaterThan(joinWorker);
        assertThat(hosts.get("master1").files).doesNotContainKey(LoadBalancerFiles.HAPROXY_MANIFEST_PATH);

        // admin.conf on the control machine, private, pointing at an address it reaches
        Path kubeconfig = r.kubeconfig();
        assertThat(Files.readString(kubeconfig))
                .contains("server: https://192.168.0.11:6443")
                .doesNotContain("lb.kubesphere.local");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
                .isEqualTo("rw-------");
        assertThat(events.toString()).doesNotContain(TOKEN).doesNotContain(CERT_KEY);
    }

    @Test
    void aRerunOnAHealthyClusterChangesNothing() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.haproxy());
        assertThat(run(r).ok()).isTrue();
        log.clear();

        PlanReport again = run(r);

        assertThat(again.ok()).isTrue();
        assertThat(again.total(Outcome.CHANGED)).as(String.join("\n", log)).isZero();
        assertThat(inits.get()).isEqualTo(1);
        assertThat(log)
                .noneMatch(l -> l.contains("kubeadm init"))
                .noneMatch(l -> l.contains("kubeadm join"))
                .noneMatch(l -> l.contains("token create"))
                .noneMatch(l -> l.contains("upload-certs"));
    }

    @Test
    void aJoinedNodeIsNotJoinedAgainAndWorkersAloneGetNoCertificateKey() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        // master1 runs the cluster and master2 has joined; worker1 is new
        hosts.get("master1").files.put(KubeadmCommands.ADMIN_CONF, ADMIN_CONF);
        hosts.get("master1").files.put(KubernetesPlan.CA_CERT, caPem);
        hosts.get("master1").files.put(KubernetesPlan.KUBELET_CONF, "kubelet");
        hosts.get("master2").files.put(KubernetesPlan.KUBELET_CONF, "kubelet");

        PlanReport report = run(r);

        assertThat(report.ok()).isTrue();
        assertThat(inits.get()).isZero();
        assertThat(count("master2: " + KubeadmCommands.join())).isZero();
        assertThat(count("worker1: " + KubeadmCommands.join())).isEqualTo(1);
        // no control plane joins: no certificate upload, only a token
        assertThat(count("master1: " + KubeadmCommands.uploadCerts())).isZero();
        assertThat(count("master1: " + KubeadmCommands.tokenCreate())).isEqualTo(1);
        assertThat(written.get("worker1:" + KubeadmConfigs.PATH))
                .contains("token: " + TOKEN)
                .contains("apiServerEndpoint: lb.example.com:6443");
    }

    /** master1 runs the cluster; master2 and worker1 have joined it. */
    private void runningCluster() {
        hosts.get("master1").files.put(KubeadmCommands.ADMIN_CONF, ADMIN_CONF);
        hosts.get("master1").files.put(KubernetesPlan.CA_CERT, caPem);
        for (String n : List.of("master1", "master2", "worker1")) {
            hosts.get(n).files.put(KubernetesPlan.KUBELET_CONF, "kubelet");
            inCluster.add(n);
        }
    }

    @Test
    void aJoinedNodeWithAStoppedKubeletIsRestartedAndMustTurnReadyNotResetAndRejoined() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        runningCluster();
        hosts.get("master2").files.put(KUBELET_STOPPED, "yes");

        PlanReport report = run(r);

        assertThat(report.ok()).as(report + "\n" + String.join("\n", log)).isTrue();
        int restart = at("master2: " + KubernetesPlan.RESTART_KUBELET);
        assertThat(at("master1: " + KubernetesPlan.nodeReady("master2"))).isGreaterThan(restart);
        assertThat(hosts.get("master2").files).doesNotContainKey(KUBELET_STOPPED);
        assertThat(log)
                .noneMatch(l -> l.contains("kubeadm reset") || l.contains("kubeadm join"))
                .noneMatch(l -> l.contains("token create") || l.contains("upload-certs"));
        assertThat(count("worker1: " + KubernetesPlan.RESTART_KUBELET)).isZero();
    }

    @Test
    void theFirstControlPlaneWithAStoppedKubeletIsRestartedNotInitialisedAgain() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        runningCluster();
        hosts.get("master1").files.put(KUBELET_STOPPED, "yes");
        // worker1 has still to join: its credentials need master1's kube-apiserver
        hosts.get("worker1").files.remove(KubernetesPlan.KUBELET_CONF);
        inCluster.remove("worker1");
        hosts.get("master1")
                .on(
                        Pattern.quote(KubeadmCommands.tokenCreate()),
                        m -> hosts.get("master1").files.containsKey(KUBELET_STOPPED)
                                ? FakeHost.result(1, "", "The connection to the server was refused")
                                : FakeHost.ok(TOKEN + "\n"));

        PlanReport report = run(r);

        assertThat(report.ok()).as(report + "\n" + String.join("\n", log)).isTrue();
        assertThat(inits.get()).isZero();
        assertThat(log).noneMatch(l -> l.startsWith("master1: ") && l.contains("kubeadm reset"));
        int restart = at("master1: " + KubernetesPlan.RESTART_KUBELET);
        int serves = at("master1: " + KubernetesPlan.apiserverServes());
        int ready = at("master1: " + KubernetesPlan.nodeReady("master1"));
        assertThat(restart).isLessThan(serves);
        assertThat(serves).isLessThan(ready);
        assertThat(ready).isLessThan(at("master1: " + KubeadmCommands.tokenCreate()));
        assertThat(hosts.get("master1").files).doesNotContainKey(KUBELET_STOPPED);
        assertThat(count("worker1: " + KubeadmCommands.join())).isEqualTo(1);
        // a second run finds kubelet running: nothing restarted
        log.clear();
        assertThat(run(r).ok()).isTrue();
        assertThat(count("master1: " + KubernetesPlan.RESTART_KUBELET)).isZero();
        assertThat(inits.get()).isZero();
    }

    @Test
    void aFirstControlPlaneWhoseApiserverStaysDownFailsWithoutInit() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        runningCluster();
        hosts.get("master1").files.put(KUBELET_STOPPED, "yes");
        // kubelet starts, kube-apiserver does not come up
        hosts.get("master1").on(Pattern.quote(KubernetesPlan.RESTART_KUBELET), m -> FakeHost.ok(""));

        PlanReport report = run(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.toString())
                .contains("the cluster exists and its stopped kubelet was started, but kube-apiserver did not serve");
        assertThat(inits.get()).isZero();
        assertThat(log).noneMatch(l -> l.contains("kubeadm reset") || l.contains("kubeadm join"));
    }

    @Test
    void aNodeWithKubeletConfTheClusterDoesNotKnowIsResetThenJoined() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        runningCluster();
        // worker1 holds kubelet.conf of another (or an earlier) cluster: this one has no such node
        inCluster.remove("worker1");
        hosts.get("worker1").files.put(KUBELET_STOPPED, "yes");

        PlanReport report = run(r);

        assertThat(report.ok()).as(report + "\n" + String.join("\n", log)).isTrue();
        int known = at("master1: " + KubernetesPlan.nodeKnown("worker1"));
        int reset = at("worker1: " + KubeadmCommands.reset(r.settings()));
        int join = at("worker1: " + KubeadmCommands.join());
        assertThat(known).isLessThan(reset);
        assertThat(reset).isLessThan(join);
        assertThat(count("worker1: " + KubeadmCommands.join())).isEqualTo(1);
        assertThat(count("master1: " + KubernetesPlan.nodeReady("worker1"))).isZero();
        assertThat(inCluster).contains("worker1");
        assertThat(count("master2: " + KubeadmCommands.join())).isZero();
    }

    @Test
    void aRestartedNodeThatStaysNotReadyFailsWithoutAReset() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        runningCluster();
        hosts.get("worker1").files.put(KUBELET_STOPPED, "yes");
        notReady.add("worker1");

        PlanReport report = run(r);

        assertThat(report.ok()).isFalse();
        assertThat(report.toString())
                .contains("worker1 has joined but its restarted kubelet did not turn the node Ready");
        assertThat(log).noneMatch(l -> l.contains("kubeadm reset") || l.contains("kubeadm join"));
    }

    @Test
    void anAllInOneNodeIsInitialisedUntaintedAndLabelledAndNothingJoins() throws Exception {
        KubernetesRequest ha = request("v1.28.2", Scenarios.externalLb());
        KubeadmSettings s = ha.settings().toBuilder()
                .nodes(List.of(new KubeNode("master1", "192.168.0.11", "10.0.0.11", true, true)))
                .controlPlaneEndpoint(new ControlPlaneEndpoint("lb.kubesphere.local", "", 6443, ""))
                .build();
        KubernetesRequest r =
                new KubernetesRequest(s, "master1", ha.binaries(), ha.kubeconfig(), ha.kubeconfigServer());
        FakeHost m1 = hosts.get("master1");
        AtomicInteger labelled = new AtomicInteger();
        m1.on(".*get node master1 -o jsonpath=.*", m -> FakeHost.result(1, "", ""));
        m1.on(".*get node master1 --show-labels.*", m -> FakeHost.result(labelled.get() > 0 ? 0 : 1, "", ""));
        m1.on(".*label --overwrite node master1 node-role.kubernetes.io/worker=", m -> {
            labelled.incrementAndGet();
            return FakeHost.ok("");
        });

        PlanReport report =
                run(r, List.of(Target.of("master1", "10.0.0.11", "amd64", Role.CONTROL_PLANE, Role.WORKER)));

        assertThat(report.ok()).as(String.join("\n", log)).isTrue();
        assertThat(count("master1: " + KubeadmCommands.init(s, false))).isEqualTo(1);
        assertThat(log).noneMatch(l -> l.contains("token create") || l.contains("upload-certs"));
        int init = at("master1: " + KubeadmCommands.init(s, false));
        int untaint = at("master1: export KUBECONFIG=/etc/kubernetes/admin.conf && "
                + KubeadmCommands.untaint(s.version(), "master1").get(0));
        assertThat(untaint).isGreaterThan(init);
        assertThat(labelled.get()).isEqualTo(1);
    }

    @Test
    void aFailedInitIsResetAndTriedThreeTimesThenNoNodeJoins() throws Exception {
        KubernetesRequest r = request("v1.28.2", Scenarios.externalLb());
        hosts.get("master1").exit(".*/kubeadm init --config=.*", 1);

        PlanReport report = run(r);

        assertThat(report.ok()).isFalse();
        assertThat(count("master1: " + KubeadmCommands.init(r.settings(), true)))
                .isEqualTo(KubernetesPlan.TRIES);
        assertThat(count("master1: " + KubeadmCommands.reset(r.settings()))).isEqualTo(KubernetesPlan.TRIES - 1);
        assertThat(log).noneMatch(l -> l.contains("kubeadm join"));
    }

    @Test
    void theDryRunListsEveryHostsKubeadmStepsInOrderWithoutSecrets() throws Exception {
        KubernetesRequest r = request("v1.31.4", Scenarios.kubeVip());
        String preview = PlanPreview.of(pipeline(r), new Inventory(HOSTS)).render();

        String master1 = preview.substring(preview.indexOf("[master1]"), preview.indexOf("[master2]"));
        String master2 = preview.substring(preview.indexOf("[master2]"), preview.indexOf("[worker1]"));
        String worker1 = preview.substring(preview.indexOf("[worker1]"));
        assertThat(master1)
                .contains("apiVersion: kubeadm.k8s.io/v1beta4")
                .contains(LoadBalancerFiles.KUBE_VIP_MANIFEST_PATH)
                .contains(LoadBalancerFiles.kubeVipAfterInit());
        List<String> inOrder = List.of(
                "/usr/local/bin/kubeadm",
                KubeletFiles.DROP_IN_PATH,
                KubeadmCommands.clusterExists(),
                KubeadmCommands.init(r.settings(), true),
                KubeadmCommands.copyKubeconfig(),
                "cat " + KubeadmCommands.ADMIN_CONF,
                KubeadmCommands.uploadCerts(),
                KubeadmCommands.tokenCreate());
        assertInOrder(master1, inOrder);
        assertThat(master1).doesNotContain(KubeadmCommands.join());
        assertInOrder(
                master2,
                List.of(KubernetesPlan.joinStateProbe(), KubeadmCommands.join(), KubeadmCommands.copyKubeconfig()));
        assertInOrder(worker1, List.of(KubernetesPlan.joinStateProbe(), KubeadmCommands.join()));
        assertThat(worker1)
                .doesNotContain(KubeadmCommands.init(r.settings(), true))
                .doesNotContain(LoadBalancerFiles.KUBE_VIP_MANIFEST_PATH);
        assertThat(preview).doesNotContain(TOKEN).doesNotContain(CERT_KEY);
    }

    private static void assertInOrder(String text, List<String> parts) {
        int from = 0;
        for (String p : parts) {
            int i = text.indexOf(p, from);
            assertThat(i)
                    .as("'" + p + "' after position " + from + " in\n" + text)
                    .isGreaterThanOrEqualTo(0);
            from = i + p.length();
        }
    }
}
