package io.kk.cluster.certs;

import io.kk.cluster.etcd.EtcdCertificates;
import io.kk.cluster.etcd.Etcdctl;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostSelector;
import io.kk.plan.HostValues;
import io.kk.plan.Module;
import io.kk.plan.Role;
import io.kk.plan.Target;
import io.kk.plan.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kk certs renew} on the hosts, after the work dir's certificates were re-issued ({@link
 * WorkDirRenewal}): {@code kubeadm certs renew all} on control planes that have kubeadm (then
 * their control-plane pods and kubelet restarted), kk's etcd and registry certificates pushed, and
 * only the services whose files changed restarted: etcd one member at a time, each healthy (asked
 * with its new client certificate) before the next, then the registry.
 *
 * @param etcdFiles the etcd certificate files by KubeKey name, from the work dir (empty: none)
 * @param registryFiles the registry's leaf files by name ({@code NAME.pem}, {@code NAME-key.pem})
 *     for {@link RegistryFiles#CERT_DIR}; empty when kk runs no registry
 * @param registryHost the registry host's name, or empty
 * @param registryPort the registry's HTTPS port
 * @param etcdPort etcd's client port
 * @param alphaCerts Kubernetes below 1.20 ({@code kubeadm alpha certs})
 * @param docker the container runtime is docker
 */
public record CertsRenewal(
        Map<String, String> etcdFiles,
        Map<String, String> registryFiles,
        String registryHost,
        int registryPort,
        int etcdPort,
        boolean alphaCerts,
        boolean docker) {

    public CertsRenewal {
        etcdFiles = Map.copyOf(etcdFiles);
        registryFiles = Map.copyOf(registryFiles);
    }

    static final String KUBEADM = "/usr/local/bin/kubeadm";

    public List<Module> modules() {
        HostValues<Boolean> etcdChanged = new HostValues<>("etcd certificates changed");
        List<Module> out = new ArrayList<>();
        out.add(Module.of(
                "kubeadm certificates",
                Task.serial("kubeadm certs renew", HostSelector.role(Role.CONTROL_PLANE), kubeadm())));
        if (!etcdFiles.isEmpty()) {
            out.add(Module.of(
                    "etcd certificates",
                    Task.parallel("push", HostSelector.anyRole(Role.ETCD, Role.CONTROL_PLANE), pushEtcd(etcdChanged)),
                    Task.serial("restart", HostSelector.role(Role.ETCD), restartEtcd(etcdChanged))));
        }
        if (!registryFiles.isEmpty() && !registryHost.isEmpty()) {
            out.add(Module.of(
                    "registry certificate",
                    Task.serial("push and restart", HostSelector.named(registryHost), registry())));
        }
        return out;
    }

    /** kubeadm's own renewal; a host without kubeadm (or without a control plane yet) is skipped. */
    Action kubeadm() {
        String certs = alphaCerts ? "alpha certs" : "certs";
        String restartPods = docker
                ? "docker ps -af 'name=k8s_POD_(kube-apiserver|kube-controller-manager|kube-scheduler|etcd)-*' -q | xargs -r docker rm -f"
                : "crictl pods --namespace kube-system --name 'kube-scheduler-*|kube-controller-manager-*|kube-apiserver-*|etcd-*' -q | xargs -r crictl rmp -f";
        String present = "test -x " + KUBEADM + " && test -f /etc/kubernetes/pki/apiserver.crt";
        String renew = KUBEADM + " " + certs + " renew all && " + restartPods
                + " && mkdir -p /root/.kube && cp /etc/kubernetes/admin.conf /root/.kube/config"
                + " && systemctl restart kubelet";
        return Actions.of(
                "kubeadm " + certs + " renew all",
                t -> List.of("$ " + present + "    # else: skipped, no kubeadm control plane here", "$ " + renew),
                h -> {
                    if (!h.sudo(present).ok()) {
                        return ActionResult.skipped("no kubeadm control plane on this host (" + KUBEADM
                                + ", /etc/kubernetes/pki/apiserver.crt): kubeadm's certificates skipped");
                    }
                    h.sudoOk(renew);
                    return ActionResult.changed("renewed; control-plane pods and kubelet restarted");
                });
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

    Action pushEtcd(HostValues<Boolean> changed) {
        String dir = EtcdCertificates.REMOTE_DIR;
        return Actions.of(
                "etcd certificates",
                t -> etcdFilesFor(t).stream()
                        .map(f -> "write " + dir + "/" + f + " when different")
                        .toList(),
                h -> {
                    int n = 0;
                    for (String f : etcdFilesFor(h.target())) {
                        if (Actions.ensure(h, dir + "/" + f, etcdFiles.get(f), f.endsWith("-key.pem") ? 0600 : 0644)) {
                            n++;
                        }
                    }
                    changed.put(h.target(), n > 0);
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
                                h, dir + "/" + f, registryFiles.get(f), f.endsWith("-key.pem") ? 0600 : 0644)) {
                            n++;
                        }
                    }
                    if (n == 0) {
                        return ActionResult.unchanged("certificate unchanged: not restarted");
                    }
                    h.sudoOk("systemctl restart registry && " + wait);
                    return ActionResult.changed(n + " files written, registry restarted");
                });
    }
}
