package io.kk.cluster.certs;

import io.kk.cluster.etcd.EtcdCertificates;
import io.kk.cluster.etcd.Etcdctl;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.RemoteCommand;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code kk certs renew} on the hosts, after the work dir's due certificates were re-issued
 * ({@link WorkDirRenewal}): kk's etcd certificates pushed and etcd restarted one member at a time,
 * each healthy (asked with its new client certificate) before the next; then, one control plane at
 * a time, {@code kubeadm certs renew all} when one of kubeadm's certificates there is due by the
 * {@link RenewThreshold} (then kube-apiserver, kube-controller-manager, kube-scheduler and a
 * kubeadm etcd restarted by moving their static pod manifests out and back, and kubelet
 * restarted), or else only kube-apiserver restarted when its etcd client certificate ({@code
 * node-HOST.pem}, read once at start) was replaced; then the registry. Only services whose files
 * changed are restarted. kubelet's own client certificate is rotated by kubelet.
 *
 * @param etcdFiles the etcd certificate files by KubeKey name, from the work dir (empty: none)
 * @param registryFiles the registry's leaf files by name ({@code NAME.pem}, {@code NAME-key.pem})
 *     for {@link RegistryFiles#CERT_DIR}; empty when kk runs no registry
 * @param registryHost the registry host's name, or empty
 * @param registryPort the registry's HTTPS port
 * @param etcdPort etcd's client port
 * @param alphaCerts Kubernetes below 1.20 ({@code kubeadm alpha certs})
 * @param threshold which of kubeadm's certificates are due
 */
public record CertsRenewal(
        Map<String, String> etcdFiles,
        Map<String, String> registryFiles,
        String registryHost,
        int registryPort,
        int etcdPort,
        boolean alphaCerts,
        RenewThreshold threshold) {

    public CertsRenewal {
        etcdFiles = Map.copyOf(etcdFiles);
        registryFiles = Map.copyOf(registryFiles);
        Objects.requireNonNull(threshold, "threshold");
    }

    static final String KUBEADM = "/usr/local/bin/kubeadm";
    static final String MANIFESTS = "/etc/kubernetes/manifests";
    /** Where the manifests wait while their pods stop (outside kubelet's staticPodPath). */
    static final String PARKED = "/etc/kubernetes/manifests-kk-restart";
    /** The static pods {@code kubeadm certs renew all} gives new certificates to. */
    static final List<String> CONTROL_PLANE_PODS =
            List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd");

    public List<Module> modules() {
        HostValues<Boolean> etcdChanged = new HostValues<>("etcd certificates changed");
        HostValues<Boolean> clientChanged = new HostValues<>("kube-apiserver's etcd client certificate changed");
        List<Module> out = new ArrayList<>();
        if (!etcdFiles.isEmpty()) {
            out.add(Module.of(
                    "etcd certificates",
                    Task.parallel(
                            "push",
                            HostSelector.anyRole(Role.ETCD, Role.CONTROL_PLANE),
                            pushEtcd(etcdChanged, clientChanged)),
                    Task.serial("restart", HostSelector.role(Role.ETCD), restartEtcd(etcdChanged))));
        }
        out.add(Module.of(
                "kubeadm certificates",
                Task.serial("kubeadm certs renew", HostSelector.role(Role.CONTROL_PLANE), kubeadm(clientChanged))));
        if (!registryFiles.isEmpty() && !registryHost.isEmpty()) {
            out.add(Module.of(
                    "registry certificate",
                    Task.serial("push and restart", HostSelector.named(registryHost), registry())));
        }
        return out;
    }

    /**
     * Restarts static pods by taking their manifests out of kubelet's sight until their processes
     * are gone and putting them back (no crictl or docker needed: kubeadm's documented way, the
     * same with containerd and docker), then waits for kube-apiserver to serve again. Manifests
     * left parked by an interrupted run are put back first. Shared by {@code kk certs renew} and the
     * auto-renew timer's script ({@link CertsRenewFiles#script}); it ends with {@code exit}, so a
     * script embedding it runs it in a subshell.
     */
    static String restartStaticPods(List<String> pods) {
        return restartStaticPods(pods, MANIFESTS, PARKED);
    }

    /**
     * @param manifests kubelet's static pod dir, as a shell word (a path, or {@code "$VAR/manifests"})
     * @param parked where the manifests wait, as a shell word
     */
    static String restartStaticPods(List<String> pods, String manifests, String parked) {
        String m = manifests;
        String p = parked;
        // pipefail off: 'ps | grep -q' must not read as "gone" when grep's early exit kills ps
        return "set +o pipefail; mkdir -p " + p + " && for f in " + p + "/*.yaml; do [ -f \"$f\" ] && mv -f \"$f\" "
                + m + "/; done; moved=''; for c in " + String.join(" ", pods) + "; do if [ -f " + m
                + "/$c.yaml ]; then mv -f " + m + "/$c.yaml " + p + "/ && moved=\"$moved|$c\"; fi; done;"
                + " moved=${moved#|}; i=0; while [ -n \"$moved\" ] && [ $i -lt 60 ] && ps -eo args | grep -qE"
                + " \"^($moved) \"; do sleep 1; i=$((i+1)); done; for f in " + p + "/*.yaml; do [ -f \"$f\" ] && mv -f"
                + " \"$f\" " + m + "/; done; rmdir " + p + "; [ $i -lt 60 ] || { echo \"$moved still running 60 s"
                + " after their manifests were moved out\" >&2; exit 1; }; port=$(sed -n 's/^ *- --secure-port=\\([0-9]*\\).*/\\1/p' "
                + m
                + "/kube-apiserver.yaml); for i in $(seq 1 180); do ps -eo args | grep -q '^kube-apiserver ' && (exec"
                + " 3<>/dev/tcp/127.0.0.1/${port:-6443}) 2>/dev/null && exit 0; sleep 1; done; echo 'kube-apiserver"
                + " did not come back within 180 s' >&2; exit 1";
    }

    /** kubeadm's certificates on this host (not the CAs, not kubelet.conf: kubelet rotates its own). */
    static List<CertificateInfo> kubeadmManaged(List<CertificateInfo> certs) {
        return certs.stream()
                .filter(c -> c.path().startsWith("/etc/kubernetes/")
                        && !c.ca()
                        && !c.path().equals("/etc/kubernetes/kubelet.conf"))
                .toList();
    }

    /**
     * kubeadm's renewal on one control plane when one of its certificates is due, else the
     * kube-apiserver restart a new etcd client certificate needs; a host without kubeadm (or
     * without a control plane yet) is skipped.
     */
    Action kubeadm(HostValues<Boolean> clientChanged) {
        String certs = alphaCerts ? "alpha certs" : "certs";
        String present = "test -x " + KUBEADM + " && test -f /etc/kubernetes/pki/apiserver.crt";
        String renew = KUBEADM + " " + certs + " renew all"
                + " && mkdir -p /root/.kube && cp -f /etc/kubernetes/admin.conf /root/.kube/config";
        String restartAll = restartStaticPods(CONTROL_PLANE_PODS);
        String restartApiserver = restartStaticPods(List.of("kube-apiserver"));
        return Actions.of(
                "kubeadm " + certs + " renew all",
                t -> List.of(
                        "$ " + present + "    # else: skipped, no kubeadm control plane here",
                        "$ " + CertificateFiles.readScript() + "    # renew when " + threshold.describe(),
                        "$ " + renew,
                        "$ " + restartAll,
                        "$ systemctl restart kubelet",
                        "# not renewed, but kk's etcd client certificate node-" + t.name() + ".pem replaced: $ "
                                + restartApiserver),
                h -> {
                    if (!h.sudo(present).ok()) {
                        return ActionResult.skipped("no kubeadm control plane on this host (" + KUBEADM
                                + ", /etc/kubernetes/pki/apiserver.crt): kubeadm's certificates skipped");
                    }
                    List<CertificateInfo> managed = kubeadmManaged(CertificateFiles.parse(
                            h.hostName(),
                            h.sudoOk(CertificateFiles.readScript()).stdout()));
                    Optional<CertificateInfo> earliest =
                            managed.stream().min(Comparator.comparing(CertificateInfo::notAfter));
                    boolean due = threshold.force()
                            || earliest.map(c -> threshold.due(c.notAfter())).orElse(false);
                    if (due) {
                        h.sudoOk(renew);
                        restart(h, restartAll);
                        h.sudoOk("systemctl restart kubelet");
                        return ActionResult.changed("renewed; control-plane pods and kubelet restarted");
                    }
                    String left = earliest.map(
                                    c -> "earliest " + c.path() + ", " + c.daysLeft(threshold.now()) + " days left")
                            .orElse("none found");
                    if (clientChanged.find(h.target()).orElse(false)) {
                        restart(h, restartApiserver);
                        return ActionResult.changed("kube-apiserver restarted for its new etcd client certificate;"
                                + " kubeadm's not due (" + left + ")");
                    }
                    return ActionResult.unchanged(
                            "kubeadm's certificates not due (" + left + "; renewing " + threshold.describe() + ")");
                });
    }

    private static void restart(io.kk.plan.HostContext h, String script) {
        h.run(RemoteCommand.sudo(script).withTimeout(Duration.ofMinutes(5)))
                .orThrow(h.hostName(), "restart of the control-plane pods");
    }

    static EtcdCertificates.CertHost certHost(Target t) {
        return new EtcdCertificates.CertHost(
                t.name(), t.internalAddress(), t.has(Role.ETCD), t.has(Role.CONTROL_PLANE));
    }

    /** The files of this host the work dir holds (a host kk never set up has none). */
    List<String> etcdFilesFor(Target t) {
        return EtcdCertificates.filesFor(certHost(t)).stream()
                .filter(etcdFiles::containsKey)
                .toList();
    }

    /** Follow-up keys: certificates written on the host, the restart onto them not yet done. */
    static final String ETCD_RESTART_DUE = "certs-etcd-restart";

    static final String REGISTRY_RESTART_DUE = "certs-registry-restart";

    Action pushEtcd(HostValues<Boolean> changed, HostValues<Boolean> clientChanged) {
        String dir = EtcdCertificates.REMOTE_DIR;
        return Actions.of(
                "etcd certificates",
                t -> etcdFilesFor(t).stream()
                        .map(f -> "write " + dir + "/" + f + " when different")
                        .toList(),
                h -> {
                    int n = 0;
                    boolean client = false;
                    String node = "node-" + h.hostName();
                    for (String f : etcdFilesFor(h.target())) {
                        // the restart is a later task: marked due on the host first, so a kill
                        // before it does not leave etcd on the old certificates after a rerun
                        if (Actions.ensure(
                                h,
                                dir + "/" + f,
                                etcdFiles.get(f),
                                f.endsWith("-key.pem") ? 0600 : 0644,
                                ETCD_RESTART_DUE)) {
                            n++;
                            client |= f.equals(node + ".pem") || f.equals(node + "-key.pem");
                        }
                    }
                    changed.put(h.target(), n > 0);
                    clientChanged.put(h.target(), client);
                    return ActionResult.of(n > 0, n + " files written");
                });
    }

    /** The health check of one member with its own (new) admin certificate, retried for 120 s. */
    String etcdHealth(Target t) {
        String cmd = Etcdctl.command(t.name(), Etcdctl.endpoint(t.internalAddress(), etcdPort)) + " endpoint health";
        return "for i in $(seq 1 120); do " + cmd + " 2>&1 && exit 0; sleep 1; done; exit 1";
    }

    Action restartEtcd(HostValues<Boolean> changed) {
        return Actions.of(
                "restart etcd",
                t -> List.of(
                        "$ systemctl restart etcd    # only when its certificates changed, one member at a time",
                        "$ " + etcdHealth(t)),
                h -> {
                    if (!changed.find(h.target()).orElse(false)) {
                        return ActionResult.unchanged("certificates unchanged: not restarted");
                    }
                    if (!h.sudo("systemctl is-active -q etcd").ok()) {
                        Actions.followUpDone(h, ETCD_RESTART_DUE); // its next start reads the new files
                        return ActionResult.skipped("etcd is not running here: nothing to restart");
                    }
                    h.sudoOk("systemctl restart etcd");
                    CommandResult health = h.sudo(etcdHealth(h.target()));
                    if (!health.ok()) {
                        throw KkException.failed(
                                h.hostName() + ": etcd is not healthy 120 s after its restart with the renewed"
                                        + " certificates: " + health.stdout().strip(),
                                "check journalctl -u etcd on the host; the other members were not restarted");
                    }
                    Actions.followUpDone(h, ETCD_RESTART_DUE);
                    return ActionResult.changed("restarted, healthy");
                });
    }

    Action registry() {
        String dir = RegistryFiles.CERT_DIR;
        String wait = "for i in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/" + registryPort
                + ") 2>/dev/null && exit 0; sleep 0.1; done; exit 1";
        return Actions.of(
                "registry certificate",
                t -> {
                    List<String> lines = new ArrayList<>();
                    registryFiles.keySet().stream()
                            .sorted()
                            .forEach(f -> lines.add("write " + dir + "/" + f + " when different"));
                    lines.add("$ systemctl restart registry    # when written");
                    return lines;
                },
                h -> {
                    int n = 0;
                    for (String f : registryFiles.keySet().stream().sorted().toList()) {
                        if (Actions.ensure(
                                h,
                                dir + "/" + f,
                                registryFiles.get(f),
                                f.endsWith("-key.pem") ? 0600 : 0644,
                                REGISTRY_RESTART_DUE)) {
                            n++;
                        }
                    }
                    if (n == 0) {
                        return ActionResult.unchanged("certificate unchanged: not restarted");
                    }
                    h.sudoOk("systemctl restart registry && " + wait);
                    Actions.followUpDone(h, REGISTRY_RESTART_DUE);
                    return ActionResult.changed(n + " files written, registry restarted");
                });
    }
}
