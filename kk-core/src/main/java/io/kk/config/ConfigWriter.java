package io.kk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ClusterConfig} as YAML in KubeKey's layout and field order (its samples' order).
 * Every value is written, defaults included, so the file says what kk will do; empty optional
 * strings and lists are left out. The output loads back to an equal config.
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    public static String write(ClusterConfig c) {
        YamlText y = new YamlText();
        y.kv(0, "apiVersion", ClusterConfig.API_VERSION);
        y.kv(0, "kind", ClusterConfig.KIND);
        y.line(0, "metadata:").kv(1, "name", c.name());
        y.line(0, "spec:");
        hosts(y, c.hosts());
        roleGroups(y, c.roleGroups());
        endpoint(y, c.controlPlaneEndpoint());
        system(y, c.system());
        kubernetes(y, c.kubernetes());
        etcd(y, c.etcd());
        dns(y, c.dns());
        network(y, c.network());
        y.line(1, "storage:").line(2, "openebs:").kv(3, "basePath", c.storage().openebsBasePath());
        registry(y, c.registry());
        addons(y, c.addons());
        String text = y.toString();
        if (c.kubesphere().enabled() && !c.kubesphere().configurations().isEmpty()) {
            text += "---\n" + c.kubesphere().configurations().stripTrailing() + "\n";
        }
        return text;
    }

    private static void hosts(YamlText y, List<Host> hosts) {
        y.line(1, "hosts:");
        for (Host h : hosts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("address", h.address());
            m.put("internalAddress", h.internalAddress());
            m.put("port", h.port());
            m.put("user", h.user());
            if (!h.password().isEmpty()) {
                m.put("password", h.password());
            }
            if (!h.privateKey().isEmpty()) {
                m.put("privateKey", h.privateKey());
            }
            if (!h.privateKeyPath().isEmpty()) {
                m.put("privateKeyPath", h.privateKeyPath());
            }
            m.put("arch", h.arch());
            m.put("timeout", h.timeout());
            if (!h.labels().isEmpty()) {
                m.put("labels", new LinkedHashMap<>(new java.util.TreeMap<>(h.labels())));
            }
            y.line(1, "- " + YamlText.flow(m));
        }
    }

    private static void roleGroups(YamlText y, RoleGroups g) {
        y.line(1, "roleGroups:");
        y.list(2, "etcd", g.etcd(), true);
        y.list(2, "control-plane", g.controlPlane(), true);
        y.list(2, "worker", g.worker(), true);
        y.list(2, "registry", g.registry(), false);
    }

    private static void endpoint(YamlText y, ControlPlaneEndpoint e) {
        y.line(1, "controlPlaneEndpoint:");
        if (e.internalLoadbalancer().isEmpty()) {
            y.line(2, "## Internal loadbalancer for apiservers: haproxy or kube-vip");
            y.line(2, "# internalLoadbalancer: haproxy");
        } else {
            y.kv(2, "internalLoadbalancer", e.internalLoadbalancer());
        }
        y.kv(2, "externalDNS", e.externalDNS());
        y.kv(2, "domain", e.domain());
        y.kv(2, "address", e.address());
        y.kv(2, "port", e.port());
        if (e.internalLoadbalancer().equals(ControlPlaneEndpoint.KUBE_VIP)) {
            y.line(2, "kubevip:").kv(3, "mode", e.kubevipMode());
        }
    }

    private static void scripts(YamlText y, int indent, String key, List<CustomScript> scripts) {
        if (scripts.isEmpty()) {
            return;
        }
        y.line(indent, key + ":");
        for (CustomScript s : scripts) {
            y.line(indent, "- name: " + YamlText.scalar(s.name()));
            y.kv(indent + 1, "bash", s.bash());
            y.opt(indent + 1, "role", s.role());
            y.list(indent + 1, "materials", s.materials(), false);
        }
    }

    private static void system(YamlText y, SystemConfig s) {
        boolean any = !s.ntpServers().isEmpty()
                || !s.timezone().isEmpty()
                || !s.rpms().isEmpty()
                || !s.debs().isEmpty()
                || !s.preInstall().isEmpty()
                || !s.postClusterInstall().isEmpty()
                || !s.postInstall().isEmpty()
                || s.skipConfigureOS();
        if (!any) {
            return;
        }
        y.line(1, "system:");
        y.list(2, "ntpServers", s.ntpServers(), false);
        y.opt(2, "timezone", s.timezone());
        y.list(2, "rpms", s.rpms(), false);
        y.list(2, "debs", s.debs(), false);
        scripts(y, 2, "preInstall", s.preInstall());
        scripts(y, 2, "postClusterInstall", s.postClusterInstall());
        scripts(y, 2, "postInstall", s.postInstall());
        if (s.skipConfigureOS()) {
            y.kv(2, "skipConfigureOS", true);
        }
    }

    private static void kubernetes(YamlText y, KubernetesConfig k) {
        y.line(1, "kubernetes:");
        y.kv(2, "version", k.type().equals("kubernetes") ? k.version() : k.version() + "-" + k.type());
        y.kv(2, "clusterName", k.clusterName());
        y.kv(2, "dnsDomain", k.dnsDomain());
        y.kv(2, "autoRenewCerts", k.autoRenewCerts());
        y.kv(2, "containerManager", k.containerManager());
        y.opt(2, "containerRuntimeEndpoint", k.containerRuntimeEndpoint());
        y.kv(2, "maxPods", k.maxPods());
        y.kv(2, "podPidsLimit", k.podPidsLimit());
        y.kv(2, "nodeCidrMaskSize", k.nodeCidrMaskSize());
        y.opt(2, "nodeCidrMaskSizeIPv6", k.nodeCidrMaskSizeIPv6());
        y.kv(2, "proxyMode", k.proxyMode());
        y.kv(2, "masqueradeAll", k.masqueradeAll());
        y.kv(2, "disableKubeProxy", k.disableKubeProxy());
        y.kv(2, "nodelocaldns", k.nodelocaldns());
        y.list(2, "apiserverCertExtraSans", k.apiserverCertExtraSans(), false);
        y.list(2, "apiserverArgs", k.apiserverArgs(), false);
        y.list(2, "controllerManagerArgs", k.controllerManagerArgs(), false);
        y.list(2, "schedulerArgs", k.schedulerArgs(), false);
        y.list(2, "kubeletArgs", k.kubeletArgs(), false);
        y.list(2, "kubeProxyArgs", k.kubeProxyArgs(), false);
        if (!k.featureGates().isEmpty()) {
            y.tree(2, "featureGates", new java.util.TreeMap<>(k.featureGates()));
        }
        if (k.nodeFeatureDiscovery()) {
            y.line(2, "nodeFeatureDiscovery:").kv(3, "enabled", true);
        }
        if (k.kata()) {
            y.line(2, "kata:").kv(3, "enabled", true);
        }
        if (k.audit()) {
            y.line(2, "audit:").kv(3, "enabled", true);
        }
        if (k.nvidiaRuntime()) {
            y.line(2, "nvidiaRuntime:").kv(3, "enabled", true);
        }
        if (!k.kubeletConfiguration().isEmpty()) {
            y.tree(2, "kubeletConfiguration", k.kubeletConfiguration());
        }
        if (!k.kubeProxyConfiguration().isEmpty()) {
            y.tree(2, "kubeProxyConfiguration", k.kubeProxyConfiguration());
        }
    }

    private static void etcd(YamlText y, EtcdConfig e) {
        y.line(1, "etcd:");
        y.kv(2, "type", e.type().yamlName());
        EtcdConfig.External x = e.external();
        if (!x.endpoints().isEmpty() || !x.caFile().isEmpty()) {
            y.line(2, "external:");
            y.list(3, "endpoints", x.endpoints(), true);
            y.opt(3, "caFile", x.caFile());
            y.opt(3, "certFile", x.certFile());
            y.opt(3, "keyFile", x.keyFile());
        }
        y.kv(2, "port", e.port());
        y.kv(2, "peerPort", e.peerPort());
        y.list(2, "extraArgs", e.extraArgs(), false);
        y.kv(2, "dataDir", e.dataDir());
        y.kv(2, "backupDir", e.backupDir());
        y.kv(2, "backupPeriod", e.backupPeriod());
        y.kv(2, "keepBackupNumber", e.keepBackupNumber());
        y.kv(2, "backupScript", e.backupScript());
        y.kv(2, "heartbeatInterval", e.heartbeatInterval());
        y.kv(2, "electionTimeout", e.electionTimeout());
        y.kv(2, "snapshotCount", e.snapshotCount());
        y.kv(2, "autoCompactionRetention", e.autoCompactionRetention());
        y.kv(2, "metrics", e.metrics());
        y.opt(2, "quotaBackendBytes", e.quotaBackendBytes());
        y.opt(2, "maxRequestBytes", e.maxRequestBytes());
        y.opt(2, "maxSnapshots", e.maxSnapshots());
        y.opt(2, "maxWals", e.maxWals());
        y.opt(2, "logLevel", e.logLevel());
    }

    private static List<Object> zones(List<DnsConfig.ExternalZone> zones) {
        List<Object> out = new ArrayList<>();
        for (DnsConfig.ExternalZone z : zones) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zones", z.zones());
            m.put("nameservers", z.nameservers());
            m.put("cache", z.cache());
            if (!z.rewrite().isEmpty()) {
                m.put("rewrite", z.rewrite());
            }
            out.add(m);
        }
        return out;
    }

    private static void dns(YamlText y, DnsConfig d) {
        DnsConfig.CoreDns cd = d.coredns();
        boolean core = !cd.additionalConfigs().isEmpty()
                || !cd.externalZones().isEmpty()
                || !cd.rewriteBlock().isEmpty()
                || !cd.upstreamDNSServers().isEmpty();
        if (d.dnsEtcHosts().isEmpty()
                && d.nodeEtcHosts().isEmpty()
                && !core
                && d.nodelocaldnsZones().isEmpty()) {
            return;
        }
        y.line(1, "dns:");
        y.opt(2, "dnsEtcHosts", d.dnsEtcHosts());
        y.opt(2, "nodeEtcHosts", d.nodeEtcHosts());
        if (core) {
            y.line(2, "coredns:");
            y.opt(3, "additionalConfigs", cd.additionalConfigs());
            if (!cd.externalZones().isEmpty()) {
                y.tree(3, "externalZones", zones(cd.externalZones()));
            }
            y.opt(3, "rewriteBlock", cd.rewriteBlock());
            y.list(3, "upstreamDNSServers", cd.upstreamDNSServers(), false);
        }
        if (!d.nodelocaldnsZones().isEmpty()) {
            y.line(2, "nodelocaldns:");
            y.tree(3, "externalZones", zones(d.nodelocaldnsZones()));
        }
    }

    private static void network(YamlText y, NetworkConfig n) {
        y.line(1, "network:");
        y.kv(2, "plugin", n.plugin());
        y.kv(2, "kubePodsCIDR", n.kubePodsCIDR());
        y.kv(2, "kubeServiceCIDR", n.kubeServiceCIDR());
        NetworkConfig.Calico c = n.calico();
        y.line(2, "calico:");
        y.kv(3, "ipipMode", c.ipipMode());
        y.kv(3, "vxlanMode", c.vxlanMode());
        y.kv(3, "vethMTU", c.vethMTU());
        y.kv(3, "ipv4NatOutgoing", c.ipv4NatOutgoing());
        if (c.ipv6NatOutgoing()) {
            y.kv(3, "ipv6NatOutgoing", true);
        }
        y.kv(3, "defaultIPPOOL", c.defaultIPPOOL());
        y.opt(3, "ipAutoDetectionMethod", c.ipAutoDetectionMethod());
        if (!c.typha().isEmpty()) {
            y.tree(3, "typha", c.typha());
        }
        if (!c.controller().isEmpty()) {
            y.tree(3, "controller", c.controller());
        }
        if (n.plugin().equals("flannel")) {
            y.line(2, "flannel:").kv(3, "backendMode", n.flannel().backendMode());
            y.kv(3, "directRouting", n.flannel().directRouting());
        }
        if (!n.kubeovn().isEmpty()) {
            y.tree(2, "kubeovn", n.kubeovn());
        }
        if (!n.hybridnet().isEmpty()) {
            y.tree(2, "hybridnet", n.hybridnet());
        }
        y.line(2, "## multus support. https://github.com/k8snetworkplumbingwg/multus-cni");
        y.line(2, "multusCNI:").kv(3, "enabled", n.multusCNI());
    }

    private static void registry(YamlText y, RegistryConfig r) {
        y.line(1, "registry:");
        y.opt(2, "type", r.type());
        y.kv(2, "privateRegistry", r.privateRegistry());
        y.kv(2, "namespaceOverride", r.namespaceOverride());
        if (r.namespaceRewrite() != null) {
            y.line(2, "namespaceRewrite:");
            y.kv(3, "policy", r.namespaceRewrite().policy());
            y.list(3, "src", r.namespaceRewrite().src(), true);
            y.kv(3, "dest", r.namespaceRewrite().dest());
        }
        y.list(2, "registryMirrors", r.registryMirrors(), true);
        y.list(2, "insecureRegistries", r.insecureRegistries(), true);
        if (!r.auths().isEmpty()) {
            y.line(2, "auths:");
            r.auths().forEach((host, a) -> {
                y.line(3, YamlText.scalar(host) + ":");
                y.opt(4, "username", a.username());
                y.opt(4, "password", a.password());
                y.kv(4, "skipTLSVerify", a.skipTLSVerify());
                y.kv(4, "plainHTTP", a.plainHTTP());
                y.opt(4, "certsPath", a.certsPath());
                y.opt(4, "caFile", a.caFile());
                y.opt(4, "certFile", a.certFile());
                y.opt(4, "keyFile", a.keyFile());
            });
        }
        y.opt(2, "dataRoot", r.dataRoot());
        y.opt(2, "bridgeIP", r.bridgeIP());
        y.opt(2, "containerdDataDir", r.containerdDataDir());
        y.opt(2, "dockerDataDir", r.dockerDataDir());
        y.opt(2, "registryDataDir", r.registryDataDir());
        y.list(2, "remoteMirrors", r.remoteMirrors(), false);
    }

    private static void addons(YamlText y, List<Addon> addons) {
        if (addons.isEmpty()) {
            y.line(1, "addons: []");
            return;
        }
        y.line(1, "addons:");
        for (Addon a : addons) {
            y.line(1, "- name: " + YamlText.scalar(a.name()));
            y.opt(2, "namespace", a.namespace());
            scripts(y, 2, "preInstall", a.preInstall());
            scripts(y, 2, "postInstall", a.postInstall());
            if (a.retries() != 0) {
                y.kv(2, "retries", a.retries());
            }
            if (a.delay() != 0) {
                y.kv(2, "delay", a.delay());
            }
            y.line(2, "sources:");
            if (a.chart() != null) {
                Addon.Chart ch = a.chart();
                y.line(3, "chart:");
                y.opt(4, "name", ch.name());
                y.opt(4, "repo", ch.repo());
                y.opt(4, "path", ch.path());
                y.opt(4, "version", ch.version());
                y.opt(4, "valuesFile", ch.valuesFile());
                y.list(4, "values", ch.values(), false);
                if (ch.waitReady()) {
                    y.kv(4, "wait", true);
                }
            }
            if (a.yaml() != null) {
                y.line(3, "yaml:");
                y.list(4, "path", a.yaml().path(), true);
                y.list(4, "values", a.yaml().values(), false);
            }
        }
    }
}
