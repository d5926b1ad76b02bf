package io.kk.config;

import io.kk.catalog.Versions;
import io.kk.config.yaml.Cursor;
import io.kk.config.yaml.Problems;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic checks of a Cluster config, run in one pass after reading so that every problem is
 * reported at once. Lines come from the paths the reader recorded.
 */
final class ClusterValidator {
    private static final Set<String> ARCHES = Set.of("amd64", "arm64");
    private static final Set<String> CONTAINER_MANAGERS = Set.of("docker", "containerd", "crio", "isula");
    private static final Set<String> PLUGINS = Set.of("calico", "flannel", "cilium", "kubeovn", "hybridnet", "none");
    private static final Set<String> LBS = Set.of("", ControlPlaneEndpoint.HAPROXY, ControlPlaneEndpoint.KUBE_VIP);

    private final Problems problems;
    private final KnownVersions known;

    ClusterValidator(Problems problems, KnownVersions known) {
        this.problems = problems;
        this.known = known;
    }

    void validate(ClusterConfig c, Cursor root) {
        hosts(c);
        roles(c);
        endpoint(c, root.field("spec").field("controlPlaneEndpoint"));
        kubernetes(c);
        etcd(c);
        network(c);
        registry(c);
        addons(c);
    }

    private void error(String path, String message, String hint) {
        problems.error(path, message, hint);
    }

    private void warning(String path, String message, String hint) {
        problems.warning(path, message, hint);
    }

    private static void port(Problems p, String path, int port) {
        if (port < 1 || port > 65535) {
            p.error(path, "port " + port + " is out of range", "use a port between 1 and 65535");
        }
    }

    private void hosts(ClusterConfig c) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        Map<String, Integer> internals = new HashMap<>();
        List<Host> hosts = c.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            Host h = hosts.get(i);
            String at = "spec.hosts[" + i + "]";
            if (h.name().isBlank()) {
                error(at + ".name", "host has no name", "give every host a unique name");
            } else {
                Integer prev = names.putIfAbsent(h.name(), i);
                if (prev != null) {
                    error(
                            at + ".name",
                            "duplicate host name \"" + h.name() + "\" (also spec.hosts[" + prev + "])",
                            "host names must be unique");
                }
                if (!Net.isHostname(h.name())) {
                    error(
                            at + ".name",
                            "host name \"" + h.name() + "\" is not a valid node name",
                            "use lower-case letters, digits, '-' and '.'");
                }
            }
            if (h.address().isEmpty()) {
                error(at + ".address", "host \"" + h.name() + "\" has no address", "set address (the SSH address)");
            } else {
                if (Net.ip(h.address()) == null && !Net.isHostname(h.address())) {
                    error(
                            at + ".address",
                            "address \"" + h.address() + "\" is not an IP address or host name",
                            "write an address such as 192.168.0.10");
                }
                Integer prev = addresses.putIfAbsent(h.address(), i);
                if (prev != null) {
                    error(
                            at + ".address",
                            "duplicate address " + h.address() + " (also host \""
                                    + hosts.get(prev).name() + "\")",
                            "every host needs its own address");
                }
            }
            if (!h.internalAddress().isEmpty()) {
                String[] parts = h.internalAddress().split(",", -1);
                boolean ok = parts.length <= 2;
                for (String part : parts) {
                    ok &= Net.ip(part) != null;
                }
                if (!ok) {
                    error(
                            at + ".internalAddress",
                            "internalAddress \"" + h.internalAddress() + "\" is not an IP address (or \"ipv4,ipv6\")",
                            "write the node's cluster-side IP, e.g. 192.168.0.10");
                } else if (!h.internalIPv4().equals(h.address())) {
                    Integer prev = internals.putIfAbsent(h.internalIPv4(), i);
                    if (prev != null && !prev.equals(i)) {
                        error(
                                at + ".internalAddress",
                                "duplicate internalAddress " + h.internalIPv4() + " (also host \""
                                        + hosts.get(prev).name() + "\")",
                                "every host needs its own address");
                    }
                }
            }
            port(problems, at + ".port", h.port());
            if (!ARCHES.contains(h.arch())) {
                error(at + ".arch", "unsupported arch \"" + h.arch() + "\"", "use amd64 or arm64");
            }
            if (h.timeout() <= 0) {
                error(
                        at + ".timeout",
                        "timeout must be positive, found " + h.timeout(),
                        "SSH connect timeout in seconds, e.g. 30");
            }
        }
    }

    private void roles(ClusterConfig c) {
        RoleGroups g = c.roleGroups();
        if (g.controlPlane().isEmpty()) {
            error(
                    "spec.roleGroups",
                    "The number of master/control-plane cannot be 0",
                    "list at least one host under roleGroups.control-plane");
        }
        if (c.etcd().type() == EtcdConfig.Type.KUBEKEY) {
            if (g.etcd().isEmpty()) {
                error(
                        "spec.roleGroups",
                        "The number of etcd cannot be 0",
                        "list the etcd hosts under roleGroups.etcd, or set etcd.type to kubeadm or external");
            } else if (g.etcd().size() % 2 == 0) {
                warning(
                        "spec.roleGroups.etcd",
                        "an even number of etcd members (" + g.etcd().size() + ") tolerates no more failures than "
                                + (g.etcd().size() - 1),
                        "use an odd number of etcd hosts (1, 3, 5)");
            }
        }
        if (g.registry().size() > 1) {
            error(
                    "spec.roleGroups.registry",
                    "only one registry host is allowed, found " + g.registry().size() + ": "
                            + String.join(", ", g.registry()),
                    "keep one host under roleGroups.registry");
        }
    }

    private void endpoint(ClusterConfig c, Cursor raw) {
        ControlPlaneEndpoint ep = c.controlPlaneEndpoint();
        String at = "spec.controlPlaneEndpoint";
        if (!LBS.contains(ep.internalLoadbalancer())) {
            error(
                    at + ".internalLoadbalancer",
                    "unknown internalLoadbalancer \"" + ep.internalLoadbalancer() + "\"",
                    "use haproxy, kube-vip, or leave it empty");
        }
        if (ep.internalLoadbalancer().equals(ControlPlaneEndpoint.HAPROXY)
                && !ep.address().isEmpty()) {
            error(
                    at + ".address",
                    "You cannot set up the internal load balancer and the LB address at the same time.",
                    "with internalLoadbalancer: haproxy leave address empty; or drop haproxy to use your LB's address");
        }
        if (ep.internalLoadbalancer().equals(ControlPlaneEndpoint.KUBE_VIP)
                && ep.address().isEmpty()) {
            error(
                    at + ".address",
                    "kube-vip needs a virtual IP in address",
                    "set address to a free IP in the nodes' subnet");
        }
        if (!ep.address().isEmpty() && Net.ip(ep.address()) == null) {
            error(
                    at + ".address",
                    "address \"" + ep.address() + "\" is not an IP address",
                    "write the load balancer's IP");
        }
        if (ep.externalDNS() && !ep.address().isEmpty()) {
            warning(at + ".address", "address is ignored by kubeadm when externalDNS is true", "set address to \"\"");
        }
        // KubeKey takes an IP address as the domain as well (it lands in /etc/hosts and the SANs)
        if (!Net.isHostname(ep.domain()) && Net.ip(ep.domain()) == null) {
            error(at + ".domain", "domain \"" + ep.domain() + "\" is not a valid DNS name", "e.g. lb.kubesphere.local");
        }
        port(problems, at + ".port", ep.port());
        if (c.roleGroups().controlPlane().size() >= 2
                && ep.internalLoadbalancer().isEmpty()
                && ep.address().isEmpty()
                && !ep.externalDNS()) {
            warning(
                    at,
                    "When there are at least two nodes in the control-plane, you should set the value of the LB"
                            + " address or enable the internal loadbalancer, or set 'controlPlaneEndpoint.externalDNS'"
                            + " to 'true' if the 'controlPlaneEndpoint.domain' can be resolved in your dns server.",
                    "without it every node talks to the first control plane only");
        }
    }

    private void kubernetes(ClusterConfig c) {
        KubernetesConfig k = c.kubernetes();
        String at = "spec.kubernetes";
        boolean validVersion = Versions.isKube(k.version());
        if (!validVersion) {
            error(
                    at + ".version",
                    "malformed Kubernetes version \"" + k.version() + "\"",
                    "write it as vX.Y.Z, e.g. " + ClusterDefaults.KUBERNETES_VERSION);
        } else if (!known.isKnown(k.version())) {
            warning(
                    at + ".version",
                    "Kubernetes " + k.version() + " is not in kk's component catalog",
                    "its checksums must come from the release's checksum files or the manifest's spec.checksums;"
                            + " see `kk version --show-supported-k8s`");
        }
        if (!Set.of("kubernetes", "k3s", "k8e").contains(k.type())) {
            error(at + ".type", "unknown Kubernetes type \"" + k.type() + "\"", "use kubernetes, k3s or k8e");
        }
        if (!CONTAINER_MANAGERS.contains(k.containerManager())) {
            error(
                    at + ".containerManager",
                    "unknown containerManager \"" + k.containerManager() + "\"",
                    "use containerd, docker, crio or isula");
        } else if (k.containerManager().equals("docker") && validVersion && k.isAtLeast(1, 24)) {
            error(
                    at + ".containerManager",
                    "containerManager docker is not supported with Kubernetes " + k.version()
                            + " (dockershim was removed in v1.24)",
                    "use containerManager: containerd");
        }
        if (!Set.of("ipvs", "iptables").contains(k.proxyMode())) {
            error(at + ".proxyMode", "unknown proxyMode \"" + k.proxyMode() + "\"", "use ipvs or iptables");
        }
        if (k.maxPods() < 1) {
            error(at + ".maxPods", "maxPods must be positive", "the default is 110");
        }
        if (k.nodeCidrMaskSize() < 1 || k.nodeCidrMaskSize() > 32) {
            error(
                    at + ".nodeCidrMaskSize",
                    "nodeCidrMaskSize " + k.nodeCidrMaskSize() + " is out of range",
                    "the default is 24");
        }
        if (!Net.isHostname(k.dnsDomain())) {
            error(
                    at + ".dnsDomain",
                    "dnsDomain \"" + k.dnsDomain() + "\" is not a valid DNS name",
                    "the default is cluster.local");
        }
        keyValues(at + ".apiserverArgs", k.apiserverArgs());
        keyValues(at + ".controllerManagerArgs", k.controllerManagerArgs());
        keyValues(at + ".schedulerArgs", k.schedulerArgs());
    }

    private void keyValues(String path, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.contains("=") || a.startsWith("=")) {
                error(
                        path + "[" + i + "]",
                        "argument \"" + a + "\" is not key=value",
                        "write it as key=value without --");
            }
        }
    }

    private void etcd(ClusterConfig c) {
        EtcdConfig e = c.etcd();
        String at = "spec.etcd";
        port(problems, at + ".port", e.port());
        port(problems, at + ".peerPort", e.peerPort());
        if (e.port() == e.peerPort()) {
            error(at + ".peerPort", "etcd port and peerPort are both " + e.port(), "the defaults are 2379 and 2380");
        }
        if (e.type() == EtcdConfig.Type.EXTERNAL) {
            EtcdConfig.External x = e.external();
            if (x.endpoints().isEmpty()) {
                error(
                        at + ".external.endpoints",
                        "external etcd needs endpoints",
                        "list them, e.g. https://10.0.0.5:2379");
            }
            for (int i = 0; i < x.endpoints().size(); i++) {
                String ep = x.endpoints().get(i);
                if (!ep.matches("https?://[^/\\s]+(:\\d+)?/?")) {
                    error(
                            at + ".external.endpoints[" + i + "]",
                            "bad etcd endpoint \"" + ep + "\"",
                            "write it as https://HOST:2379");
                }
            }
            boolean anyTls = !x.caFile().isEmpty()
                    || !x.certFile().isEmpty()
                    || !x.keyFile().isEmpty();
            boolean allTls = !x.caFile().isEmpty()
                    && !x.certFile().isEmpty()
                    && !x.keyFile().isEmpty();
            boolean https = x.endpoints().stream().anyMatch(s -> s.startsWith("https://"));
            if ((anyTls || https) && !allTls) {
                error(
                        at + ".external",
                        "external etcd over TLS needs caFile, certFile and keyFile",
                        "set all three, or use http:// endpoints without TLS");
            }
        }
        if (e.backupPeriod() < 1) {
            error(at + ".backupPeriod", "backupPeriod must be positive (minutes)", "the default is 1440");
        }
    }

    private void network(ClusterConfig c) {
        NetworkConfig n = c.network();
        String at = "spec.network";
        Set<String> modes = Set.of("Always", "CrossSubnet", "Never");
        NetworkConfig.Calico calico = n.calico();
        if (!modes.contains(calico.ipipMode())) {
            error(
                    at + ".calico.ipipMode",
                    "unknown ipipMode \"" + calico.ipipMode() + "\"",
                    "use Always, CrossSubnet or Never");
        }
        if (!modes.contains(calico.vxlanMode())) {
            error(
                    at + ".calico.vxlanMode",
                    "unknown vxlanMode \"" + calico.vxlanMode() + "\"",
                    "use Always, CrossSubnet or Never");
        }
        if (n.plugin().equals("calico")
                && !calico.ipipMode().equals("Never")
                && !calico.vxlanMode().equals("Never")) {
            error(
                    at + ".calico.vxlanMode",
                    "ipipMode and vxlanMode cannot both be on",
                    "set one of them to Never (the default is ipipMode Always, vxlanMode Never)");
        }
        if (!PLUGINS.contains(n.plugin())) {
            warning(
                    at + ".plugin",
                    "unknown network plugin \"" + n.plugin() + "\": no CNI will be installed",
                    "use calico, flannel, cilium, kubeovn, hybridnet, or none");
        }
        List<Net.Cidr> pods = cidrs(at + ".kubePodsCIDR", n.kubePodsCIDR());
        List<Net.Cidr> services = cidrs(at + ".kubeServiceCIDR", n.kubeServiceCIDR());
        for (Net.Cidr p : pods) {
            for (Net.Cidr s : services) {
                if (p.overlaps(s)) {
                    error(
                            at + ".kubeServiceCIDR",
                            "kubeServiceCIDR " + n.kubeServiceCIDR() + " overlaps kubePodsCIDR " + n.kubePodsCIDR(),
                            "use disjoint ranges, e.g. pods 10.233.64.0/18 and services 10.233.0.0/18");
                }
            }
        }
        if (!pods.isEmpty()
                && pods.get(0).bits() == 32
                && c.kubernetes().nodeCidrMaskSize() < pods.get(0).prefix()) {
            error(
                    "spec.kubernetes.nodeCidrMaskSize",
                    "nodeCidrMaskSize " + c.kubernetes().nodeCidrMaskSize() + " is larger than kubePodsCIDR /"
                            + pods.get(0).prefix(),
                    "each node's pod range must fit in kubePodsCIDR: use a mask of at least "
                            + pods.get(0).prefix());
        }
        for (int i = 0; i < c.hosts().size(); i++) {
            Net.Ip ip = Net.ip(c.hosts().get(i).internalIPv4());
            for (Net.Cidr r : concat(pods, services)) {
                if (ip != null && r.contains(ip)) {
                    error(
                            "spec.hosts[" + i + "].internalAddress",
                            "host address " + c.hosts().get(i).internalIPv4()
                                    + " lies inside the pod or service network",
                            "change kubePodsCIDR/kubeServiceCIDR so they do not cover the nodes' network");
                }
            }
        }
    }

    private static List<Net.Cidr> concat(List<Net.Cidr> a, List<Net.Cidr> b) {
        List<Net.Cidr> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private List<Net.Cidr> cidrs(String path, String value) {
        List<Net.Cidr> out = new java.util.ArrayList<>();
        String[] parts = value.split(",", -1);
        boolean ok = parts.length <= 2;
        for (String part : parts) {
            Net.Cidr cidr = Net.cidr(part);
            if (cidr == null) {
                ok = false;
            } else {
                out.add(cidr);
                if (Net.hasHostBits(part)) {
                    warning(
                            path,
                            "\"" + part.strip() + "\" has host bits set",
                            "write the network address of the range");
                }
            }
        }
        if (!ok) {
            error(
                    path,
                    "bad CIDR \"" + value + "\"",
                    "write it as network/prefix, e.g. 10.233.64.0/18 (or \"ipv4,ipv6\")");
            return List.of();
        }
        return out;
    }

    private void registry(ClusterConfig c) {
        RegistryConfig r = c.registry();
        String at = "spec.registry";
        if (!Set.of("", "registry", "harbor").contains(r.type())) {
            error(
                    at + ".type",
                    "unknown registry type \"" + r.type() + "\"",
                    "use harbor, or leave it empty for a Docker registry");
        }
        if (!r.privateRegistry().isEmpty()
                && !r.privateRegistry().matches("[A-Za-z0-9.-]+(:\\d{1,5})?(/[a-z0-9._/-]+)?")) {
            error(
                    at + ".privateRegistry",
                    "bad privateRegistry \"" + r.privateRegistry() + "\"",
                    "write it as host[:port][/project]");
        }
        if (r.namespaceRewrite() != null && !r.namespaceRewrite().policy().equals("changePrefix")) {
            error(
                    at + ".namespaceRewrite.policy",
                    "unknown policy \"" + r.namespaceRewrite().policy() + "\"",
                    "use changePrefix");
        }
        if (!r.bridgeIP().isEmpty() && Net.cidr(r.bridgeIP()) == null) {
            error(
                    at + ".bridgeIP",
                    "bad CIDR \"" + r.bridgeIP() + "\"",
                    "write it as network/prefix, e.g. 172.17.0.1/16");
        }
    }

    private void scripts(String path, List<CustomScript> scripts) {
        for (int i = 0; i < scripts.size(); i++) {
            CustomScript s = scripts.get(i);
            if (s.bash().isBlank()) {
                error(
                        path + "[" + i + "].bash",
                        "script \"" + s.name() + "\" has no bash command",
                        "set bash to the command to run");
            }
            if (!s.role().isEmpty()
                    && !Set.of("etcd", "master", "control-plane", "worker", "registry", "k8s")
                            .contains(s.role())) {
                error(
                        path + "[" + i + "].role",
                        "unknown role \"" + s.role() + "\"",
                        "use etcd, control-plane, worker, registry or k8s");
            }
        }
    }

    private void addons(ClusterConfig c) {
        scripts("spec.system.preInstall", c.system().preInstall());
        scripts("spec.system.postClusterInstall", c.system().postClusterInstall());
        scripts("spec.system.postInstall", c.system().postInstall());
        for (int i = 0; i < c.addons().size(); i++) {
            Addon a = c.addons().get(i);
            String at = "spec.addons[" + i + "]";
            if (a.name().isBlank()) {
                error(at + ".name", "addon has no name", "give every addon a name");
            }
            if (a.chart() == null && a.yaml() == null) {
                error(at + ".sources", "addon \"" + a.name() + "\" has no source", "add sources.chart or sources.yaml");
            }
            if (a.chart() != null
                    && a.chart().repo().isEmpty()
                    && a.chart().path().isEmpty()) {
                error(
                        at + ".sources.chart",
                        "chart needs a repo or a path",
                        "set repo (a chart repository URL) or path (a local .tgz)");
            }
            if (a.yaml() != null && a.yaml().path().isEmpty()) {
                error(
                        at + ".sources.yaml.path",
                        "yaml source needs at least one path",
                        "list files or URLs under path");
            }
        }
    }
}
