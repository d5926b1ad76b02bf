package io.kk.cluster.kubernetes;

import io.kk.cluster.install.FileInstall;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.RemoteCommand;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostSelector;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Kubernetes phases as plan modules, as KubeKey runs them: the binaries and kubelet service on
 * every node, {@code kubeadm init} on the first control plane (its kubeconfig fetched to the control
 * machine), fresh join credentials minted there, the other control planes joined one by one, the
 * workers in parallel, the internal load balancer moved onto the workers, and the node roles.
 *
 * <p>Idempotent: init is skipped when the first control plane has {@code admin.conf} (a stopped
 * kubelet there is restarted, and kube-apiserver must serve and the node turn Ready); a node with
 * {@code kubelet.conf} is not joined again (KubeKey's test): a stopped kubelet there is restarted and
 * the node must turn Ready, and only a node the cluster does not know is reset and joined afresh;
 * credentials are minted only when a node still has to join. A rerun on a healthy cluster changes
 * nothing.
 */
public final class KubernetesPlan {
    /** kubeadm init and join are tried this often, with {@code kubeadm reset} between (KubeKey's count). */
    static final int TRIES = 3;

    static final String KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
    static final String CA_CERT = "/etc/kubernetes/pki/ca.crt";
    static final String ROOT_KUBECONFIG = "/root/.kube/config";

    private KubernetesPlan() {}

    /** How long a restarted kubelet's node may take to turn Ready. */
    static final String READY_TIMEOUT = "180s";

    /** What the join-state probe found on a node, and what the membership check made of it. */
    enum JoinState {
        /** kubelet.conf and a running kubelet: left alone. */
        JOINED,
        /** kubelet.conf but a stopped kubelet: restarted, then checked against the cluster. */
        KUBELET_STOPPED,
        /** no kubelet.conf: joined. */
        NOT_JOINED,
        /** kubelet.conf, yet the cluster has no such node: reset, then joined. */
        STALE;

        boolean toJoin() {
            return this == NOT_JOINED || this == STALE;
        }
    }

    /** Prints {@code joined}, {@code kubelet-stopped} or {@code not-joined}. */
    public static String joinStateProbe() {
        return "if [ -f " + KUBELET_CONF + " ]; then if systemctl is-active --quiet kubelet; then echo joined;"
                + " else echo kubelet-stopped; fi; else echo not-joined; fi";
    }

    /** The node's Node object, from the first control plane: exits 0 when the cluster knows it. */
    static String nodeKnown(String node) {
        return KubeadmCommands.KUBECTL + " --kubeconfig " + KubeadmCommands.ADMIN_CONF + " get node "
                + Shell.quote(node) + " -o name";
    }

    /** Waits, on the first control plane, until the node reports Ready. */
    static String nodeReady(String node) {
        return KubeadmCommands.KUBECTL + " --kubeconfig " + KubeadmCommands.ADMIN_CONF
                + " wait --for=condition=Ready node/" + Shell.quote(node) + " --timeout=" + READY_TIMEOUT;
    }

    static final String RESTART_KUBELET = "systemctl enable kubelet && systemctl restart kubelet";

    static final String KUBELET_ACTIVE = "systemctl is-active --quiet kubelet";

    /** How long the first control plane's kube-apiserver may take to serve after kubelet's restart. */
    static final int APISERVER_WAIT_SECONDS = 180;

    /**
     * Waits until kube-apiserver answers {@code /readyz} through admin.conf (kubelet starts it
     * from its static pod; {@code kubectl wait} alone gives up at the first refused connection).
     */
    static String apiserverServes() {
        return "for i in $(seq 1 " + APISERVER_WAIT_SECONDS + "); do " + KubeadmCommands.KUBECTL + " --kubeconfig "
                + KubeadmCommands.ADMIN_CONF + " get --raw /readyz >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1";
    }

    /** The join state of every node but the first control plane, by host name. */
    static final class JoinStates {
        private final Map<String, JoinState> states = new java.util.concurrent.ConcurrentHashMap<>();

        void put(String host, JoinState s) {
            states.put(host, s);
        }

        JoinState get(String host) {
            JoinState s = states.get(host);
            if (s == null) {
                throw KkException.internal("join state of " + host + " read before it was probed", null);
            }
            return s;
        }

        List<String> in(JoinState s) {
            return states.entrySet().stream()
                    .filter(e -> e.getValue() == s)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }

        List<String> toJoin() {
            return states.entrySet().stream()
                    .filter(e -> e.getValue().toJoin())
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** The credentials minted on the first control plane for this run's joins (cluster-wide, typed). */
    static final class Minted {
        private final AtomicReference<JoinCredentials> value = new AtomicReference<>();

        void set(JoinCredentials c) {
            value.set(c);
        }

        JoinCredentials forNode(KubeNode node) {
            JoinCredentials c = value.get();
            if (c == null) {
                throw KkException.internal("join credentials read before they were minted", null);
            }
            return node.controlPlane() ? c : new JoinCredentials(c.token(), "", c.caCertHashes());
        }
    }

    // --- binaries and the kubelet service ---

    /**
     * kubeadm, kubelet, kubectl and helm on every Kubernetes node (checksum-compared), the kubelet
     * unit and kubeadm drop-in, kubelet enabled; on control planes the audit files; on the first
     * control plane kube-vip's static pod when configured (kube-vip must hold the VIP before init
     * reaches the endpoint).
     */
    public static Module binaries(KubernetesRequest r) {
        KubeadmSettings s = r.settings();
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.parallel("kubernetes binaries", HostSelector.k8s(), installBinaries(r.binaries())));
        tasks.add(Task.parallel(
                "kubelet service",
                HostSelector.k8s(),
                Actions.file(
                        "kubelet unit",
                        KubeletFiles.UNIT_PATH,
                        t -> KubeletFiles.unit(),
                        0644,
                        "systemctl daemon-reload"),
                Actions.file(
                        "kubelet drop-in",
                        KubeletFiles.DROP_IN_PATH,
                        t -> KubeletFiles.dropIn(s, t.name()),
                        0644,
                        "systemctl daemon-reload && systemctl try-restart kubelet"),
                Actions.guarded(
                        "enable kubelet",
                        "systemctl is-enabled --quiet kubelet && [ \"$(readlink /usr/bin/kubelet)\" = "
                                + KubeletFiles.BINARY + " ]",
                        KubeadmCommands.enableKubelet())));
        if (s.audit()) {
            tasks.add(Task.parallel(
                    "audit",
                    HostSelector.role(Role.CONTROL_PLANE),
                    Actions.file("audit policy", AuditFiles.POLICY_PATH, AuditFiles.policy(), 0644),
                    Actions.file(
                            "audit webhook",
                            AuditFiles.WEBHOOK_PATH,
                            AuditFiles.webhook(AuditFiles.KUBESPHERE_WEBHOOK),
                            0644)));
        }
        if (s.controlPlaneEndpoint().kubeVip()) {
            // the other control planes get theirs once joined: kubeadm join's preflight wants an
            // empty /etc/kubernetes/manifests (DirAvailable)
            tasks.add(Task.parallel("kube-vip", HostSelector.named(r.initNode()), kubeVip(r)));
        }
        return new Module("kubernetes binaries", tasks);
    }

    static Action installBinaries(Map<String, List<FileInstall.Plan>> byArch) {
        return Actions.of(
                "kubeadm, kubelet, kubectl, helm",
                t -> {
                    List<String> lines = new ArrayList<>();
                    for (FileInstall.Plan p : plans(byArch, t)) {
                        lines.addAll(FileInstall.action("install", p, null).describe(t));
                    }
                    return lines;
                },
                h -> {
                    int changed = 0;
                    for (FileInstall.Plan p : plans(byArch, h.target())) {
                        if (FileInstall.action("install", p, null).apply(h).outcome() == io.kk.plan.Outcome.CHANGED) {
                            changed++;
                        }
                    }
                    return ActionResult.of(changed > 0, changed + " installed");
                });
    }

    private static List<FileInstall.Plan> plans(Map<String, List<FileInstall.Plan>> byArch, Target t) {
        List<FileInstall.Plan> p = byArch.get(t.arch());
        if (p == null) {
            throw KkException.invalidInput(
                    "no Kubernetes binaries for " + t.arch() + " (host " + t.name() + ")",
                    "give an artifact holding kubeadm, kubelet, kubectl and helm for " + t.arch());
        }
        return p;
    }

    /** The script printing the network interface that holds {@code address}. */
    static String interfaceOf(String address) {
        return "ip -o addr show to " + Shell.quote(address) + " | awk '{print $2; exit}'";
    }

    static Action kubeVip(KubernetesRequest r) {
        KubeadmSettings s = r.settings();
        return Actions.of(
                "kube-vip static pod",
                t -> List.of(
                        "$ " + interfaceOf(s.node(t.name()).primaryInternalAddress())
                                + "    # the interface for the VIP "
                                + s.controlPlaneEndpoint().address(),
                        "$ " + KubeadmCommands.clusterExists() + "    # on the init node: super-admin.conf"
                                + " until init has run (1.29+)",
                        "write " + LoadBalancerFiles.KUBE_VIP_MANIFEST_PATH + " mode 0644 when different"),
                h -> {
                    KubeNode node = s.node(h.hostName());
                    String iface = h.sudoOk(interfaceOf(node.primaryInternalAddress()))
                            .stdout()
                            .strip();
                    if (iface.isEmpty()) {
                        throw KkException.environment(
                                h.hostName() + ": no interface holds " + node.primaryInternalAddress(),
                                "check the host's internalAddress in the config");
                    }
                    boolean beforeInit = h.hostName().equals(r.initNode())
                            && !h.sudo(KubeadmCommands.clusterExists()).ok();
                    String manifest = LoadBalancerFiles.kubeVipManifest(s, iface, beforeInit);
                    return ActionResult.of(
                            Actions.ensure(h, LoadBalancerFiles.KUBE_VIP_MANIFEST_PATH, manifest, 0644),
                            "VIP on " + iface);
                });
    }

    // --- init ---

    /** {@code kubeadm init} on the first control plane, root's kubeconfig, and its copy on the control machine. */
    public static Module init(KubernetesRequest r) {
        return Module.of(
                "kubeadm init",
                Task.serial(
                        "init",
                        HostSelector.named(r.initNode()),
                        kubeadmInit(r),
                        Actions.guarded(
                                "root's kubeconfig",
                                "cmp -s " + KubeadmCommands.ADMIN_CONF + " " + ROOT_KUBECONFIG,
                                KubeadmCommands.copyKubeconfig()),
                        fetchKubeconfig(r)));
    }

    static Action kubeadmInit(KubernetesRequest r) {
        KubeadmSettings s = r.settings();
        boolean uploadCerts = s.controlPlanes().size() > 1;
        String command = KubeadmCommands.init(s, uploadCerts);
        boolean vipAfterInit = s.controlPlaneEndpoint().kubeVip() && s.version().atLeast(29);
        return Actions.of(
                "kubeadm init",
                t -> {
                    String config = KubeadmConfigs.init(s, t.name());
                    List<String> lines = new ArrayList<>();
                    lines.add("$ " + KubeadmCommands.clusterExists() + "    # the cluster exists: init skipped");
                    lines.add("$ " + KUBELET_ACTIVE + "    # the cluster exists but kubelet is stopped: $ "
                            + RESTART_KUBELET + "; $ " + apiserverServes() + "; $ " + nodeReady(t.name())
                            + " (not kubeadm init again)");
                    lines.add("write " + KubeadmConfigs.PATH + " mode 0600 ("
                            + s.kubeadmApi().apiVersion() + ", "
                            + config.lines().count() + " lines):");
                    config.lines().forEach(l -> lines.add("| " + l));
                    lines.add("$ " + command + "    # up to " + TRIES + " tries, '" + KubeadmCommands.reset(s)
                            + "' between");
                    if (vipAfterInit) {
                        lines.add("$ " + LoadBalancerFiles.kubeVipAfterInit());
                    }
                    return lines;
                },
                h -> {
                    if (h.sudo(KubeadmCommands.clusterExists()).ok()) {
                        return restartStoppedKubelet(h);
                    }
                    h.sudoOk("mkdir -p /etc/kubernetes");
                    Actions.ensure(h, KubeadmConfigs.PATH, KubeadmConfigs.init(s, h.hostName()), 0600);
                    withRetries(h, command, s, "kubeadm init");
                    if (vipAfterInit) {
                        h.sudoOk(LoadBalancerFiles.kubeVipAfterInit());
                    }
                    return ActionResult.changed("initialised");
                });
    }

    /**
     * The first control plane of an initialised cluster (admin.conf there): a stopped kubelet is
     * started again, then kube-apiserver (its static pod) must serve and the node turn Ready, as
     * for a joined node; kubeadm init is never run again over a cluster.
     */
    static ActionResult restartStoppedKubelet(HostContext h) {
        if (h.sudo(KUBELET_ACTIVE).ok()) {
            return ActionResult.unchanged("the cluster exists");
        }
        h.sudoOk(RESTART_KUBELET);
        CommandResult serves = h.sudo(apiserverServes());
        if (!serves.ok()) {
            throw KkException.failed(
                    h.hostName() + ": the cluster exists and its stopped kubelet was started, but kube-apiserver did"
                            + " not serve within " + APISERVER_WAIT_SECONDS + " s",
                    "check 'journalctl -u kubelet' and " + KubeadmCommands.ADMIN_CONF
                            + " on the host; kk does not run kubeadm init over an existing cluster");
        }
        CommandResult ready = h.sudo(nodeReady(h.hostName()));
        if (!ready.ok()) {
            throw KkException.failed(
                    h.hostName() + ": kube-apiserver serves again but the node did not turn Ready within "
                            + READY_TIMEOUT + ": " + lastLine(ready),
                    "check 'journalctl -u kubelet' on " + h.hostName());
        }
        return ActionResult.changed(
                "the cluster exists; kubelet was stopped: started, kube-apiserver serves, node Ready");
    }

    /**
     * admin.conf to the control machine (mode 0600), its server set to an address the control
     * machine reaches; written only when different. Its content never reaches events.
     */
    static Action fetchKubeconfig(KubernetesRequest r) {
        return Actions.of(
                "fetch kubeconfig",
                t -> List.of("$ cat " + KubeadmCommands.ADMIN_CONF + "    # to the control machine: " + r.kubeconfig()
                        + " mode 0600, server " + r.kubeconfigServer()),
                h -> {
                    CommandResult cat = h.run(new RemoteCommand(
                                    "cat " + KubeadmCommands.ADMIN_CONF,
                                    true,
                                    RemoteCommand.DEFAULT_TIMEOUT,
                                    "",
                                    false))
                            .orThrow(h.hostName(), "kubeadm init / fetch kubeconfig");
                    String content = withServer(cat.stdout(), r.kubeconfigServer());
                    return ActionResult.of(
                            writeLocal(r.kubeconfig(), content), r.kubeconfig().toString());
                });
    }

    /** The kubeconfig with every cluster's {@code server:} set to {@code server}. */
    static String withServer(String kubeconfig, String server) {
        return kubeconfig.replaceAll(
                "(?m)^(\\s*server:\\s*).*$", "$1" + java.util.regex.Matcher.quoteReplacement(server));
    }

    private static boolean writeLocal(Path file, String content) {
        try {
            if (Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                return false;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            io.kk.util.AtomicFiles.writePrivate(file, content);
            return true;
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot write the kubeconfig " + file + ": " + io.kk.error.Causes.describe(e),
                    "check the work dir");
        }
    }

    static void withRetries(HostContext h, String command, KubeadmSettings s, String what) {
        CommandResult last = null;
        for (int i = 1; i <= TRIES; i++) {
            last = h.sudo(command);
            if (last.ok()) {
                return;
            }
            if (i < TRIES) {
                h.warn(what + " failed (try " + i + " of " + TRIES + "): resetting and trying again");
                h.sudo(KubeadmCommands.reset(s));
            }
        }
        last.orThrow(h.hostName(), what);
    }

    // --- join ---

    /**
     * Which nodes still have to join (a stopped kubelet on a joined node restarted and the node
     * checked Ready from the first control plane), fresh credentials there when any node has to join,
     * the other control planes one by one, the workers in parallel, then kube-vip on the joined
     * control planes or the internal load balancer on the workers, and the node roles.
     */
    public static List<Module> join(KubernetesRequest r) {
        KubeadmSettings s = r.settings();
        JoinStates joined = new JoinStates();
        Minted minted = new Minted();
        HostSelector others = HostSelector.k8s().butNot(HostSelector.named(r.initNode()));
        HostSelector controlPlanes = HostSelector.role(Role.CONTROL_PLANE).butNot(HostSelector.named(r.initNode()));
        HostSelector workers = HostSelector.role(Role.WORKER).butNot(HostSelector.role(Role.CONTROL_PLANE));
        List<Module> out = new ArrayList<>();
        out.add(Module.of(
                "kubeadm join",
                Task.parallel("join state", others, joinState(joined), restartKubelet(joined)),
                Task.serial("cluster membership", HostSelector.named(r.initNode()), membership(joined)),
                Task.serial("join credentials", HostSelector.named(r.initNode()), mint(r, joined, minted)),
                Task.serial("join control planes", controlPlanes, join(r, joined, minted)),
                Task.parallel("join workers", workers, join(r, joined, minted))));
        if (s.controlPlaneEndpoint().kubeVip()) {
            out.add(Module.of("kube-vip", Task.parallel("kube-vip", controlPlanes, kubeVip(r))));
        }
        if (s.controlPlaneEndpoint().haproxy()) {
            out.add(internalLoadBalancer(r, workers));
        }
        out.add(nodeRoles(r));
        return out;
    }

    static Action joinState(JoinStates joined) {
        return Actions.of(
                "joined?",
                t -> List.of("$ " + joinStateProbe() + "    # kubelet.conf: joined already, not joined again"),
                h -> {
                    String found = h.sudoOk(joinStateProbe()).stdout().strip();
                    JoinState state =
                            switch (found) {
                                case "joined" -> JoinState.JOINED;
                                case "kubelet-stopped" -> JoinState.KUBELET_STOPPED;
                                case "not-joined" -> JoinState.NOT_JOINED;
                                default -> throw KkException.environment(
                                        h.hostName() + ": cannot tell whether the node has joined (the probe said '"
                                                + found + "')",
                                        "check " + KUBELET_CONF + " and 'systemctl status kubelet' on the node");
                            };
                    joined.put(h.hostName(), state);
                    return ActionResult.unchanged(found);
                });
    }

    /** A node with kubelet.conf whose kubelet stopped gets it started again, not a reset and a join. */
    static Action restartKubelet(JoinStates joined) {
        return Actions.of(
                "start kubelet",
                t -> List.of("$ " + RESTART_KUBELET + "    # only when kubelet.conf is there and kubelet is stopped"),
                h -> {
                    if (joined.get(h.hostName()) != JoinState.KUBELET_STOPPED) {
                        return ActionResult.unchanged("kubelet runs or the node has to join");
                    }
                    h.sudoOk(RESTART_KUBELET);
                    return ActionResult.changed("kubelet was stopped: started");
                });
    }

    /**
     * For each node whose kubelet was restarted: known to the cluster, it must turn Ready (it stays
     * joined); unknown, it is reset and joined afresh.
     */
    static Action membership(JoinStates joined) {
        return Actions.of(
                "restarted nodes Ready?",
                t -> List.of(
                        "$ " + nodeKnown("NODE") + "    # for each node whose kubelet was restarted",
                        "$ " + nodeReady("NODE") + "    # known: must turn Ready; unknown: reset and joined"),
                h -> {
                    List<String> restarted = joined.in(JoinState.KUBELET_STOPPED);
                    if (restarted.isEmpty()) {
                        return ActionResult.unchanged("no kubelet was restarted");
                    }
                    List<String> stale = new ArrayList<>();
                    for (String node : restarted) {
                        if (!h.sudo(nodeKnown(node)).ok()) {
                            joined.put(node, JoinState.STALE);
                            stale.add(node);
                            continue;
                        }
                        CommandResult ready = h.sudo(nodeReady(node));
                        if (!ready.ok()) {
                            throw KkException.failed(
                                    node + " has joined but its restarted kubelet did not turn the node Ready within "
                                            + READY_TIMEOUT + ": " + lastLine(ready),
                                    "check 'journalctl -u kubelet' on " + node
                                            + "; kk does not reset a node the cluster knows");
                        }
                        joined.put(node, JoinState.JOINED);
                    }
                    return ActionResult.changed(
                            stale.isEmpty()
                                    ? "Ready again: " + String.join(", ", restarted)
                                    : "not in the cluster, to reset and join: " + String.join(", ", stale));
                });
    }

    private static String lastLine(CommandResult r) {
        String text = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        return text.isEmpty() ? "exit " + r.exitCode() : text.substring(text.lastIndexOf('\n') + 1);
    }

    static Action mint(KubernetesRequest r, JoinStates joined, Minted minted) {
        KubeadmSettings s = r.settings();
        return Actions.of(
                "mint join credentials",
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("$ cat " + CA_CERT
                            + "    # when a node has to join: the CA's public-key hash for discovery");
                    if (s.controlPlanes().size() > 1) {
                        lines.add("$ " + KubeadmCommands.uploadCerts()
                                + "    # when a control plane has to join: a fresh certificate key (2 h)");
                    }
                    lines.add("$ " + KubeadmCommands.tokenCreate()
                            + "    # when a node has to join: a fresh bootstrap token (24 h)");
                    return lines;
                },
                h -> {
                    List<String> toJoin = joined.toJoin();
                    if (toJoin.isEmpty()) {
                        return ActionResult.unchanged("every node has joined");
                    }
                    boolean controlPlane =
                            toJoin.stream().anyMatch(n -> s.node(n).controlPlane());
                    String ca = h.sudoOk("cat " + CA_CERT).stdout();
                    String hash = KubeadmCommands.caCertHash(parseCertificate(ca));
                    String key = controlPlane
                            ? KubeadmCommands.parseCertificateKey(
                                    h.sudoOk(KubeadmCommands.uploadCerts()).stdout())
                            : "";
                    String token = KubeadmCommands.parseToken(
                            h.sudoOk(KubeadmCommands.tokenCreate()).stdout());
                    minted.set(new JoinCredentials(token, key, List.of(hash)));
                    return ActionResult.changed("for " + String.join(", ", toJoin));
                });
    }

    private static X509Certificate parseCertificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw KkException.failed(
                    "cannot read the cluster CA " + CA_CERT + ": " + io.kk.error.Causes.describe(e),
                    "check the first control plane's /etc/kubernetes/pki");
        }
    }

    static Action join(KubernetesRequest r, JoinStates joined, Minted minted) {
        KubeadmSettings s = r.settings();
        String command = KubeadmCommands.join();
        return Actions.of(
                "kubeadm join",
                t -> {
                    KubeNode node = s.node(t.name());
                    List<String> lines = new ArrayList<>();
                    lines.add("# only when 'joined?' found the node not joined (or not in the cluster: '"
                            + KubeadmCommands.reset(s) + "' first)");
                    lines.add("write " + KubeadmConfigs.PATH + " mode 0600: "
                            + s.kubeadmApi().apiVersion()
                            + " JoinConfiguration" + (node.controlPlane() ? " (control plane)" : "")
                            + " with the credentials minted above, discovery via "
                            + s.controlPlaneEndpoint().hostPort());
                    lines.add("$ " + command + "    # up to " + TRIES + " tries, '" + KubeadmCommands.reset(s)
                            + "' between");
                    if (node.controlPlane()) {
                        lines.add("$ " + KubeadmCommands.copyKubeconfig());
                    }
                    return lines;
                },
                h -> {
                    JoinState state = joined.get(h.hostName());
                    if (!state.toJoin()) {
                        return ActionResult.unchanged("joined already");
                    }
                    if (state == JoinState.STALE) {
                        // kubelet.conf of a cluster that does not know the node: kubeadm's preflight refuses it
                        h.sudoOk(KubeadmCommands.reset(s));
                    }
                    KubeNode node = s.node(h.hostName());
                    String file = KubeadmConfigs.join(s, node.name(), minted.forNode(node));
                    // through stdin: the token never sits in a local temp file or a command line
                    h.run(new RemoteCommand(
                                    "mkdir -p /etc/kubernetes && umask 077 && cat > " + KubeadmConfigs.PATH,
                                    true,
                                    RemoteCommand.DEFAULT_TIMEOUT,
                                    file,
                                    false))
                            .orThrow(h.hostName(), "kubeadm join / join file");
                    withRetries(h, command, s, "kubeadm join");
                    if (node.controlPlane()) {
                        h.sudoOk(KubeadmCommands.copyKubeconfig());
                    }
                    return ActionResult.changed(node.controlPlane() ? "control plane" : "worker");
                });
    }

    // --- internal load balancer and node roles ---

    static Module internalLoadBalancer(KubernetesRequest r, HostSelector workers) {
        KubeadmSettings s = r.settings();
        int port = s.controlPlaneEndpoint().port();
        String domain = s.controlPlaneEndpoint().domain();
        List<Task> tasks = new ArrayList<>();
        tasks.add(Task.parallel(
                "haproxy on the workers",
                workers,
                Actions.file(
                        "haproxy config",
                        LoadBalancerFiles.HAPROXY_CONFIG_PATH,
                        LoadBalancerFiles.haproxyConfig(s),
                        0644),
                Actions.file(
                        "haproxy static pod",
                        LoadBalancerFiles.HAPROXY_MANIFEST_PATH,
                        LoadBalancerFiles.haproxyManifest(s),
                        0644),
                Actions.guarded(
                        "kubelet via haproxy",
                        "grep -q 'server: https://127.0.0.1:" + port + "' " + KUBELET_CONF + " && grep -q '^127.0.0.1 "
                                + domain + "$' /etc/hosts",
                        String.join(" && ", LoadBalancerFiles.haproxyWorkerCommands(s)))));
        if (s.kubeProxy()) {
            tasks.add(Task.serial(
                    "kube-proxy via 127.0.0.1",
                    HostSelector.named(r.initNode()),
                    Actions.guarded(
                            "kube-proxy server",
                            KubeadmCommands.KUBECTL + " --kubeconfig " + KubeadmCommands.ADMIN_CONF
                                    + " -n kube-system get configmap kube-proxy -o yaml | grep -q 'server:"
                                    + " https://127.0.0.1:" + port + "'",
                            String.join(" && ", LoadBalancerFiles.haproxyKubeProxyCommands(s)))));
        }
        return new Module("internal load balancer", tasks);
    }

    /** Worker labels, and control planes that are also workers untainted; run on the first control plane. */
    static Module nodeRoles(KubernetesRequest r) {
        KubeadmSettings s = r.settings();
        String kubectl = KubeadmCommands.KUBECTL + " --kubeconfig " + KubeadmCommands.ADMIN_CONF;
        // sudo may keep the login user's HOME: name the kubeconfig rather than rely on /root/.kube
        String env = "export KUBECONFIG=" + KubeadmCommands.ADMIN_CONF + " && ";
        List<Action> actions = new ArrayList<>();
        for (KubeNode n : s.nodes()) {
            if (!n.worker()) {
                continue;
            }
            if (n.controlPlane()) {
                actions.add(Actions.guarded(
                        "untaint " + n.name(),
                        "! " + kubectl + " get node " + n.name()
                                + " -o jsonpath='{.spec.taints[*].key}' | grep -qE"
                                + " 'node-role.kubernetes.io/(master|control-plane)'",
                        env + String.join(" && ", KubeadmCommands.untaint(s.version(), n.name()))));
            }
            actions.add(Actions.guarded(
                    "label " + n.name(),
                    kubectl + " get node " + n.name() + " --show-labels | grep -q 'node-role.kubernetes.io/worker='",
                    env + KubeadmCommands.labelWorker(n.name())));
        }
        return Module.of("node roles", new Task("node roles", HostSelector.named(r.initNode()), actions, true));
    }
}
