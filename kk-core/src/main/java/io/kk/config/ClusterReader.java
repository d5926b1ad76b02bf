package io.kk.config;

import static io.kk.config.ClusterDefaults.*;

import io.kk.config.yaml.Cursor;
import io.kk.config.yaml.Problems;
import io.kk.config.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Cluster config file into records with KubeKey's defaults, recording type mistakes and
 * unknown fields as problems. Semantic checks are {@link ClusterValidator}'s.
 */
final class ClusterReader {
    static final Pattern RANGE = Pattern.compile("^(.*)\\[(\\d+):(\\d+)\\]$");
    private static final int MAX_RANGE = 10_000;
    static final String API_VERSION_V1ALPHA1 = "kubekey.kubesphere.io/v1alpha1";

    private final Problems problems;

    private ClusterReader(Problems problems) {
        this.problems = problems;
    }

    /** Parses, defaults and validates; never throws for bad input. */
    static LoadedCluster load(String text, String file, KnownVersions known) {
        Problems problems = new Problems(file);
        List<YamlDocument> docs = YamlDocument.parseAll(text, problems);
        if (problems.hasErrors()) {
            return new LoadedCluster(file, null, problems.list());
        }
        YamlDocument cluster = null;
        KubeSphereConfig ks = KubeSphereConfig.NONE;
        for (YamlDocument doc : docs) {
            Cursor root = doc.root();
            String kind = root.field("kind").string().orElse("");
            if (kind.equals(ClusterConfig.KIND) && cluster == null) {
                cluster = doc;
            } else if (kind.equals("ClusterConfiguration") || kind.equals("ConfigMap")) {
                String version =
                        root.field("metadata").field("labels").field("version").string("");
                ks = new KubeSphereConfig(true, version, doc.text());
            } else if (cluster != null || !kind.isEmpty()) {
                root.field("kind")
                        .warning(
                                "document of kind \"" + kind + "\" is ignored",
                                "a config file holds one Cluster and optionally KubeSphere's ClusterConfiguration");
            }
        }
        if (cluster == null) {
            Cursor first = docs.isEmpty() ? null : docs.get(0).root();
            String kind = first == null ? "" : first.field("kind").string("");
            String path = "kind";
            String msg = docs.isEmpty()
                    ? "the file is empty"
                    : kind.isEmpty() ? "kind is missing" : "kind \"" + kind + "\" is not a Cluster config";
            problems.add(
                    io.kk.error.Problem.Severity.ERROR,
                    docs.isEmpty() ? "" : path,
                    first == null ? 0 : first.field("kind").line(),
                    msg,
                    "a cluster config starts with `apiVersion: " + ClusterConfig.API_VERSION + "` and `kind: Cluster`"
                            + (kind.equals("Manifest") ? "; this looks like a Manifest (use it with -m)" : ""));
            return new LoadedCluster(file, null, problems.list());
        }
        ClusterConfig config = new ClusterReader(problems).read(cluster.root(), ks);
        new ClusterValidator(problems, known).validate(config, cluster.root());
        return new LoadedCluster(file, config, problems.list());
    }

    private ClusterConfig read(Cursor root, KubeSphereConfig ks) {
        root.object("apiVersion", "kind", "metadata", "spec");
        Cursor api = root.field("apiVersion");
        String apiVersion = api.string("");
        if (!api.present()) {
            root.field("apiVersion")
                    .error("apiVersion is missing", "add `apiVersion: " + ClusterConfig.API_VERSION + "`");
        } else if (apiVersion.equals(API_VERSION_V1ALPHA1)) {
            // KubeKey v2/v3 never look at apiVersion: they read a v1alpha1 file (KubeKey v1's) as
            // v1alpha2, whose fields it shares (`master` is read as control-plane).
            api.warning(
                    "apiVersion " + apiVersion + " (KubeKey v1) is read as " + ClusterConfig.API_VERSION
                            + ", as KubeKey v2/v3 do",
                    "change it to " + ClusterConfig.API_VERSION + "; v1-only fields such as imageRepo are ignored");
        } else if (!apiVersion.equals(ClusterConfig.API_VERSION)) {
            api.error(
                    "unsupported apiVersion \"" + apiVersion + "\"",
                    "kk reads " + ClusterConfig.API_VERSION + " (KubeKey v2/v3) and " + API_VERSION_V1ALPHA1
                            + " (KubeKey v1)");
        }
        String name = root.field("metadata").field("name").string("sample");
        Cursor spec = root.field("spec");
        if (!spec.present()) {
            spec.error("spec is missing", "a Cluster needs spec.hosts and spec.roleGroups");
        }
        spec.object(
                "hosts",
                "roleGroups",
                "controlPlaneEndpoint",
                "system",
                "etcd",
                "dns",
                "kubernetes",
                "network",
                "storage",
                "registry",
                "addons",
                "kubesphere");
        List<Host> hosts = hosts(spec.field("hosts"));
        KubernetesConfig kube = kubernetes(spec.field("kubernetes"));
        return new ClusterConfig(
                name,
                hosts,
                roleGroups(spec.field("roleGroups"), hosts),
                endpoint(spec.field("controlPlaneEndpoint")),
                system(spec.field("system")),
                etcd(spec.field("etcd"), kube),
                dns(spec.field("dns")),
                kube,
                network(spec.field("network")),
                new StorageConfig(spec.field("storage")
                        .object("openebs")
                        .field("openebs")
                        .object("basePath")
                        .field("basePath")
                        .nonEmpty(OPENEBS_BASE_PATH)),
                registry(spec.field("registry")),
                addons(spec.field("addons")),
                ks);
    }

    private List<Host> hosts(Cursor c) {
        if (!c.present()) {
            c.error("no hosts", "list the machines under spec.hosts, each with a name and an address");
            return List.of();
        }
        List<Host> out = new ArrayList<>();
        for (Cursor h : c.list()) {
            h.object(
                    "name",
                    "address",
                    "internalAddress",
                    "port",
                    "user",
                    "password",
                    "privateKey",
                    "privateKeyPath",
                    "arch",
                    "timeout",
                    "labels");
            if (!h.present()) {
                h.error("empty host entry", "remove the empty `-` line");
                continue;
            }
            if (!h.isMap()) {
                continue; // object() above reported it
            }
            String address = h.field("address").string("");
            String internal = h.field("internalAddress").string("");
            if (address.isEmpty()) {
                address = internal;
            }
            if (internal.isEmpty()) {
                internal = address;
            }
            String password = h.field("password").string("");
            String privateKey = h.field("privateKey").string("");
            String keyPath = h.field("privateKeyPath").string("");
            if (privateKey.isEmpty() && password.isEmpty() && keyPath.isEmpty()) {
                keyPath = PRIVATE_KEY_PATH;
            }
            out.add(new Host(
                    h.field("name").string(""),
                    address,
                    internal,
                    h.field("port").integer().filter(p -> p != 0).orElse(SSH_PORT),
                    h.field("user").nonEmpty(USER),
                    password,
                    privateKey,
                    keyPath,
                    h.field("arch").nonEmpty(ARCH),
                    h.field("timeout").longValue().orElse(SSH_TIMEOUT),
                    h.field("labels").stringMap()));
        }
        return out;
    }

    private RoleGroups roleGroups(Cursor c, List<Host> hosts) {
        if (!c.present()) {
            c.error("roleGroups is missing", "assign hosts to etcd, control-plane and worker under spec.roleGroups");
            return new RoleGroups(List.of(), List.of(), List.of(), List.of());
        }
        c.object("etcd", "master", "control-plane", "worker", "registry");
        java.util.Set<String> defined = new java.util.HashSet<>();
        hosts.forEach(h -> defined.add(h.name()));
        List<String> controlPlane = new ArrayList<>();
        controlPlane.addAll(group(c.field("master"), "master", defined));
        for (String n : group(c.field("control-plane"), "control-plane", defined)) {
            if (!controlPlane.contains(n)) {
                controlPlane.add(n);
            }
        }
        return new RoleGroups(
                group(c.field("etcd"), "etcd", defined),
                controlPlane,
                group(c.field("worker"), "worker", defined),
                group(c.field("registry"), "registry", defined));
    }

    /** Expands a role's entries; names not among the hosts are reported as KubeKey words it. */
    private List<String> group(Cursor c, String role, java.util.Set<String> defined) {
        List<String> out = new ArrayList<>();
        for (Cursor entry : c.list()) {
            String e = entry.string().orElse(null);
            if (e == null) {
                continue;
            }
            List<String> names = expand(entry, e);
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                if (out.contains(n)) {
                    entry.warning("host \"" + n + "\" is listed twice in [" + role + "]", "list each host once");
                    continue;
                }
                out.add(n);
                if (!defined.contains(n)) {
                    missing.add(n);
                }
            }
            if (!missing.isEmpty()) {
                String who = missing.size() <= 3
                        ? "[" + String.join("], [", missing) + "]"
                        : "[" + String.join("], [", missing.subList(0, 3)) + "] and " + (missing.size() - 3) + " more";
                entry.error(
                        who + (missing.size() == 1 ? " is" : " are") + " in [" + role
                                + "] group, but not in hosts list",
                        "define " + (missing.size() == 1 ? "it" : "them") + " under spec.hosts or fix the name");
            }
        }
        return out;
    }

    /** {@code node[2:4]} -> node2, node3, node4 (inclusive, no zero padding), as KubeKey. */
    static List<String> expandRange(String entry) {
        Matcher m = RANGE.matcher(entry);
        if (!m.matches()) {
            return null;
        }
        long start = Long.parseLong(m.group(2));
        long end = Long.parseLong(m.group(3));
        List<String> out = new ArrayList<>();
        for (long i = start; i <= end && out.size() <= MAX_RANGE; i++) {
            out.add(m.group(1) + i);
        }
        return out;
    }

    private List<String> expand(Cursor c, String entry) {
        if (!entry.contains("[") && !entry.contains("]")) {
            if (entry.isBlank()) {
                c.error("empty host name", "remove the empty entry");
                return List.of();
            }
            return List.of(entry);
        }
        Matcher m = RANGE.matcher(entry);
        String hint = "write a range as name[start:end], e.g. node[1:3] for node1, node2, node3";
        if (!m.matches()
                || m.group(1).isEmpty()
                || m.group(2).length() > 9
                || m.group(3).length() > 9) {
            c.error("bad host range \"" + entry + "\"", hint);
            return List.of();
        }
        long start = Long.parseLong(m.group(2));
        long end = Long.parseLong(m.group(3));
        if (start > end) {
            c.error("bad host range \"" + entry + "\": start " + start + " is after end " + end, hint);
            return List.of();
        }
        if (end - start >= MAX_RANGE) {
            c.error("host range \"" + entry + "\" is too large", "a range may hold at most " + MAX_RANGE + " hosts");
            return List.of();
        }
        return expandRange(entry);
    }

    private ControlPlaneEndpoint endpoint(Cursor c) {
        c.object("internalLoadbalancer", "domain", "externalDNS", "address", "port", "kubevip");
        Cursor vip = c.field("kubevip").object("mode");
        return new ControlPlaneEndpoint(
                c.field("internalLoadbalancer").string(""),
                c.field("domain").nonEmpty(LB_DOMAIN),
                c.field("externalDNS").bool(false),
                c.field("address").string(""),
                c.field("port").integer().filter(p -> p != 0).orElse(LB_PORT),
                vip.field("mode").nonEmpty(KUBE_VIP_MODE));
    }

    private List<CustomScript> scripts(Cursor c) {
        List<CustomScript> out = new ArrayList<>();
        for (Cursor s : c.list()) {
            s.object("name", "bash", "role", "materials");
            out.add(new CustomScript(
                    s.field("name").string(""),
                    s.field("bash").string(""),
                    s.field("role").string(""),
                    s.field("materials").strings()));
        }
        return out;
    }

    private SystemConfig system(Cursor c) {
        c.object(
                "ntpServers",
                "timezone",
                "rpms",
                "debs",
                "preInstall",
                "postClusterInstall",
                "postInstall",
                "skipConfigureOS");
        return new SystemConfig(
                c.field("ntpServers").strings(),
                c.field("timezone").string(""),
                c.field("rpms").strings(),
                c.field("debs").strings(),
                scripts(c.field("preInstall")),
                scripts(c.field("postClusterInstall")),
                scripts(c.field("postInstall")),
                c.field("skipConfigureOS").bool(false));
    }

    private EtcdConfig etcd(Cursor c, KubernetesConfig kube) {
        c.object(
                "type",
                "external",
                "port",
                "peerPort",
                "extraArgs",
                "dataDir",
                "backupDir",
                "backupPeriod",
                "keepBackupNumber",
                "backupScript",
                "heartbeatInterval",
                "electionTimeout",
                "snapshotCount",
                "autoCompactionRetention",
                "metrics",
                "quotaBackendBytes",
                "maxRequestBytes",
                "maxSnapshots",
                "maxWals",
                "logLevel");
        Cursor typeC = c.field("type");
        String typeName = typeC.nonEmpty("kubekey");
        EtcdConfig.Type type = EtcdConfig.Type.parse(typeName);
        if (type == null) {
            typeC.error("unknown etcd type \"" + typeName + "\"", "use kubekey, kubeadm or external");
            type = EtcdConfig.Type.KUBEKEY;
        }
        if (type == EtcdConfig.Type.KUBEADM && kube.type().equals("k3s")) {
            type = EtcdConfig.Type.KUBEKEY; // as KubeKey: k3s has no kubeadm etcd
        }
        Cursor ext = c.field("external").object("endpoints", "caFile", "certFile", "keyFile");
        return new EtcdConfig(
                type,
                new EtcdConfig.External(
                        ext.field("endpoints").strings(),
                        ext.field("caFile").string(""),
                        ext.field("certFile").string(""),
                        ext.field("keyFile").string("")),
                c.field("port").integer(ETCD_PORT),
                c.field("peerPort").integer(ETCD_PEER_PORT),
                c.field("extraArgs").strings(),
                c.field("dataDir").nonEmpty(ETCD_DATA_DIR),
                c.field("backupDir").nonEmpty(ETCD_BACKUP_DIR),
                c.field("backupPeriod").integer().filter(v -> v != 0).orElse(ETCD_BACKUP_PERIOD),
                c.field("keepBackupNumber").integer().filter(v -> v != 0).orElse(ETCD_KEEP_BACKUPS),
                c.field("backupScript").nonEmpty(ETCD_BACKUP_SCRIPT),
                c.field("heartbeatInterval").integer(ETCD_HEARTBEAT_INTERVAL),
                c.field("electionTimeout").integer(ETCD_ELECTION_TIMEOUT),
                c.field("snapshotCount").integer(ETCD_SNAPSHOT_COUNT),
                c.field("autoCompactionRetention").integer(ETCD_AUTO_COMPACTION_RETENTION),
                c.field("metrics").nonEmpty(ETCD_METRICS),
                c.field("quotaBackendBytes").longValue().orElse(null),
                c.field("maxRequestBytes").longValue().orElse(null),
                c.field("maxSnapshots").integer().orElse(null),
                c.field("maxWals").integer().orElse(null),
                c.field("logLevel").string(""));
    }

    private List<DnsConfig.ExternalZone> zones(Cursor c) {
        List<DnsConfig.ExternalZone> out = new ArrayList<>();
        for (Cursor z : c.list()) {
            z.object("zones", "nameservers", "cache", "rewrite");
            out.add(new DnsConfig.ExternalZone(
                    z.field("zones").strings(),
                    z.field("nameservers").strings(),
                    z.field("cache").integer(0),
                    z.field("rewrite").strings()));
        }
        return out;
    }

    private DnsConfig dns(Cursor c) {
        c.object("dnsEtcHosts", "nodeEtcHosts", "coredns", "nodelocaldns");
        Cursor cd =
                c.field("coredns").object("additionalConfigs", "externalZones", "rewriteBlock", "upstreamDNSServers");
        Cursor nl = c.field("nodelocaldns").object("externalZones");
        return new DnsConfig(
                c.field("dnsEtcHosts").string(""),
                c.field("nodeEtcHosts").string(""),
                new DnsConfig.CoreDns(
                        cd.field("additionalConfigs").string(""),
                        zones(cd.field("externalZones")),
                        cd.field("rewriteBlock").string(""),
                        cd.field("upstreamDNSServers").strings()),
                zones(nl.field("externalZones")));
    }

    private static boolean enabled(Cursor c, boolean dflt) {
        return c.object("enabled").field("enabled").bool(dflt);
    }

    private KubernetesConfig kubernetes(Cursor c) {
        c.object(
                "type",
                "version",
                "clusterName",
                "dnsDomain",
                "disableKubeProxy",
                "masqueradeAll",
                "maxPods",
                "podPidsLimit",
                "nodeCidrMaskSize",
                "nodeCidrMaskSizeIPv6",
                "apiserverCertExtraSans",
                "proxyMode",
                "autoRenewCerts",
                "nodelocaldns",
                "containerManager",
                "containerRuntimeEndpoint",
                "nodeFeatureDiscovery",
                "kata",
                "audit",
                "nvidiaRuntime",
                "apiserverArgs",
                "controllerManagerArgs",
                "schedulerArgs",
                "kubeletArgs",
                "kubeProxyArgs",
                "featureGates",
                "kubeletConfiguration",
                "kubeProxyConfiguration");
        String written = normalizedVersion(c.field("version").nonEmpty(KUBERNETES_VERSION));
        String type = c.field("type").nonEmpty("kubernetes");
        String version = written;
        int dash = written.indexOf('-');
        if (dash > 0) {
            version = written.substring(0, dash);
            type = written.substring(dash + 1);
        }
        String cm = c.field("containerManager").nonEmpty(containerManagerFor(version));
        return new KubernetesConfig(
                type,
                version,
                c.field("clusterName").nonEmpty(CLUSTER_NAME),
                c.field("dnsDomain").nonEmpty(DNS_DOMAIN),
                c.field("disableKubeProxy").bool(false),
                c.field("masqueradeAll").bool(false),
                c.field("maxPods").integer().filter(v -> v != 0).orElse(MAX_PODS),
                c.field("podPidsLimit").integer().filter(v -> v != 0).orElse(POD_PIDS_LIMIT),
                c.field("nodeCidrMaskSize").integer().filter(v -> v != 0).orElse(NODE_CIDR_MASK_SIZE),
                c.field("nodeCidrMaskSizeIPv6").integer().orElse(null),
                c.field("apiserverCertExtraSans").strings(),
                c.field("proxyMode").nonEmpty(PROXY_MODE),
                c.field("autoRenewCerts").bool(AUTO_RENEW_CERTS),
                c.field("nodelocaldns").bool(true),
                cm,
                c.field("containerRuntimeEndpoint").nonEmpty(runtimeEndpointFor(cm, version)),
                enabled(c.field("nodeFeatureDiscovery"), false),
                enabled(c.field("kata"), false),
                enabled(c.field("audit"), false),
                enabled(c.field("nvidiaRuntime"), false),
                c.field("apiserverArgs").strings(),
                c.field("controllerManagerArgs").strings(),
                c.field("schedulerArgs").strings(),
                c.field("kubeletArgs").strings(),
                c.field("kubeProxyArgs").strings(),
                c.field("featureGates").boolMap(),
                c.field("kubeletConfiguration").freeMap(),
                c.field("kubeProxyConfiguration").freeMap());
    }

    private static final Pattern BARE_KUBE_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+].*)?");

    /** "1.28.12" -> "v1.28.12": KubeKey's normalizedBuildVersion adds the missing v. */
    static String normalizedVersion(String version) {
        String v = version.strip();
        return BARE_KUBE_VERSION.matcher(v).matches() ? "v" + v : v;
    }

    private NetworkConfig network(Cursor c) {
        c.object("plugin", "kubePodsCIDR", "kubeServiceCIDR", "calico", "flannel", "kubeovn", "hybridnet", "multusCNI");
        Cursor ca = c.field("calico")
                .object(
                        "ipipMode",
                        "vxlanMode",
                        "vethMTU",
                        "ipv4NatOutgoing",
                        "ipv6NatOutgoing",
                        "defaultIPPOOL",
                        "ipAutoDetectionMethod",
                        "typha",
                        "controller");
        Cursor fl = c.field("flannel").object("backendMode", "directRouting");
        return new NetworkConfig(
                c.field("plugin").nonEmpty(NETWORK_PLUGIN),
                c.field("kubePodsCIDR").nonEmpty(PODS_CIDR),
                c.field("kubeServiceCIDR").nonEmpty(SERVICE_CIDR),
                new NetworkConfig.Calico(
                        ca.field("ipipMode").nonEmpty(IPIP_MODE),
                        ca.field("vxlanMode").nonEmpty(VXLAN_MODE),
                        ca.field("vethMTU").integer(0),
                        ca.field("ipv4NatOutgoing").bool(true),
                        ca.field("ipv6NatOutgoing").bool(false),
                        ca.field("defaultIPPOOL").bool(true),
                        ca.field("ipAutoDetectionMethod").string(""),
                        ca.field("typha").freeMap(),
                        ca.field("controller").freeMap()),
                new NetworkConfig.Flannel(
                        fl.field("backendMode").nonEmpty(FLANNEL_BACKEND),
                        fl.field("directRouting").bool(false)),
                c.field("kubeovn").freeMap(),
                c.field("hybridnet").freeMap(),
                enabled(c.field("multusCNI"), false));
    }

    private RegistryConfig registry(Cursor c) {
        c.object(
                "type",
                "registryMirrors",
                "insecureRegistries",
                "privateRegistry",
                "namespaceOverride",
                "namespaceRewrite",
                "auths",
                "dataRoot",
                "bridgeIP",
                "containerdDataDir",
                "dockerDataDir",
                "registryDataDir",
                "remoteMirrors");
        Cursor nr = c.field("namespaceRewrite").object("policy", "src", "dest");
        RegistryConfig.NamespaceRewrite rewrite = nr.present()
                ? new RegistryConfig.NamespaceRewrite(
                        nr.field("policy").string(""),
                        nr.field("src").strings(),
                        nr.field("dest").string(""))
                : null;
        return new RegistryConfig(
                c.field("type").string(""),
                c.field("registryMirrors").strings(),
                c.field("insecureRegistries").strings(),
                c.field("privateRegistry").string(""),
                c.field("namespaceOverride").string(""),
                rewrite,
                auths(c.field("auths")),
                c.field("dataRoot").string(""),
                c.field("bridgeIP").string(""),
                c.field("containerdDataDir").string(""),
                c.field("dockerDataDir").string(""),
                c.field("registryDataDir").string(""),
                c.field("remoteMirrors").stringOrStrings());
    }

    /** Registry auths, shared with the Manifest reader. */
    static Map<String, RegistryAuth> auths(Cursor c) {
        Map<String, RegistryAuth> out = new LinkedHashMap<>();
        c.entries().forEach((host, a) -> {
            a.object(
                    "username", "password", "skipTLSVerify", "plainHTTP", "certsPath", "caFile", "certFile", "keyFile");
            out.put(
                    host,
                    new RegistryAuth(
                            a.field("username").string(""),
                            a.field("password").string(""),
                            a.field("skipTLSVerify").bool(false),
                            a.field("plainHTTP").bool(false),
                            a.field("certsPath").string(""),
                            a.field("caFile").string(""),
                            a.field("certFile").string(""),
                            a.field("keyFile").string("")));
        });
        return out;
    }

    private List<Addon> addons(Cursor c) {
        List<Addon> out = new ArrayList<>();
        for (Cursor a : c.list()) {
            a.object("name", "namespace", "preInstall", "postInstall", "retries", "delay", "sources");
            Cursor src = a.field("sources").object("chart", "yaml");
            Cursor ch = src.field("chart").object("name", "repo", "path", "version", "valuesFile", "values", "wait");
            Cursor ym = src.field("yaml").object("path", "values");
            out.add(new Addon(
                    a.field("name").string(""),
                    a.field("namespace").string(""),
                    scripts(a.field("preInstall")),
                    scripts(a.field("postInstall")),
                    a.field("retries").integer(0),
                    a.field("delay").integer(0),
                    ch.present()
                            ? new Addon.Chart(
                                    ch.field("name").string(""),
                                    ch.field("repo").string(""),
                                    ch.field("path").string(""),
                                    ch.field("version").string(""),
                                    ch.field("valuesFile").string(""),
                                    ch.field("values").stringOrStrings(),
                                    ch.field("wait").bool(false))
                            : null,
                    ym.present()
                            ? new Addon.Yaml(
                                    ym.field("path").stringOrStrings(),
                                    ym.field("values").stringOrStrings())
                            : null));
        }
        return out;
    }
}
