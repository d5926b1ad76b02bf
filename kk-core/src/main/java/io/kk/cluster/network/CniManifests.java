package io.kk.cluster.network;

import io.kk.catalog.Versions;
import io.kk.cluster.images.ClusterImages;
import io.kk.error.KkException;
import io.kk.plan.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network plugin as KubeKey deploys it from the first control plane: calico and flannel as
 * {@code /etc/kubernetes/network-plugin.yaml} applied with {@code kubectl apply --force}; cilium as
 * its Helm chart {@code /etc/kubernetes/cilium.tgz} with {@code helm upgrade --install}; multus
 * (optional, with a plugin) as {@code /etc/kubernetes/multus-network-plugin.yaml}; kube-ovn as its
 * three manifests after labelling the OVN database nodes {@code kube-ovn/role=master}, plus the
 * {@code kubectl-ko} plugin on every control plane; hybridnet as its Helm chart {@code
 * /etc/kubernetes/hybridnet.tgz}, then its {@code networks}. Pure: the generated texts and
 * commands, no I/O except locating the charts.
 */
public final class CniManifests {
    public static final String NETWORK_PLUGIN_PATH = "/etc/kubernetes/network-plugin.yaml";
    public static final String MULTUS_PATH = "/etc/kubernetes/multus-network-plugin.yaml";
    public static final String CILIUM_CHART_PATH = "/etc/kubernetes/cilium.tgz";
    /** Where an artifact holds charts: {@code charts/<name>-<version>.tgz}. */
    public static final String CHARTS_DIR = "charts";
    /** The chart repository cilium's chart comes from ({@code spec.charts} of a created Manifest). */
    public static final String CILIUM_CHART_REPO = "https://helm.cilium.io/";

    public static final String CILIUM_CHART_NAME = "cilium";

    public static final String KUBE_OVN_CRD_PATH = "/etc/kubernetes/kube-ovn-crd.yaml";
    public static final String OVN_PATH = "/etc/kubernetes/ovn.yaml";
    public static final String KUBE_OVN_PATH = "/etc/kubernetes/kube-ovn.yaml";
    public static final String KUBECTL_KO_PATH = "/usr/local/bin/kubectl-ko";

    public static final String HYBRIDNET_CHART_PATH = "/etc/kubernetes/hybridnet.tgz";
    public static final String HYBRIDNET_NETWORKS_PATH = "/etc/kubernetes/hybridnet-networks.yaml";
    public static final String HYBRIDNET_CHART_NAME = "hybridnet";
    /** The chart repository hybridnet's chart comes from ({@code spec.charts} of a created Manifest). */
    public static final String HYBRIDNET_CHART_REPO = "https://alibaba.github.io/hybridnet/";
    /** KubeKey retries the deploy tasks 5 times; its task delay is 5 s. */
    static final int ATTEMPTS = 5;

    static final int DELAY_SECONDS = 5;

    private CniManifests() {}

    /**
     * The steps in order (empty for plugin none).
     *
     * @param artifactDir where {@code charts/cilium-<version>.tgz} is looked for (cilium only)
     */
    public static List<KubeStep> steps(NetworkSettings s, Path artifactDir) {
        List<KubeStep> out = new ArrayList<>();
        switch (s.plugin()) {
            case NetworkSettings.CALICO, NetworkSettings.FLANNEL -> out.add(new KubeStep(
                    "network-plugin",
                    Map.of(NETWORK_PLUGIN_PATH, manifest(s)),
                    Map.of(),
                    KubeStep.KUBECTL + " apply -f " + NETWORK_PLUGIN_PATH + " --force",
                    ATTEMPTS,
                    DELAY_SECONDS));
            case NetworkSettings.CILIUM -> out.add(new KubeStep(
                    "network-plugin",
                    Map.of(),
                    Map.of(CILIUM_CHART_PATH, ciliumChart(s, artifactDir)),
                    ciliumCommand(s),
                    ATTEMPTS,
                    DELAY_SECONDS));
            case NetworkSettings.KUBEOVN -> out.addAll(kubeOvnSteps(s));
            case NetworkSettings.HYBRIDNET -> out.addAll(hybridnetSteps(s, artifactDir));
            default -> {
                return List.of();
            }
        }
        if (s.multus()) {
            out.add(new KubeStep(
                    "multus",
                    Map.of(MULTUS_PATH, multus(s)),
                    Map.of(),
                    KubeStep.KUBECTL + " apply -f " + MULTUS_PATH + " --force",
                    ATTEMPTS,
                    DELAY_SECONDS));
        }
        return out;
    }

    /**
     * The steps run on every control plane after the first control plane's ones: kube-ovn's {@code
     * kubectl-ko} plugin (KubeKey installs it on all masters).
     */
    public static List<KubeStep> everyControlPlaneSteps(NetworkSettings s) {
        if (!s.plugin().equals(NetworkSettings.KUBEOVN)) {
            return List.of();
        }
        return List.of(new KubeStep(
                "kubectl-ko", Map.of(KUBECTL_KO_PATH, kubectlKo(s)), Map.of(), "chmod 0755 " + KUBECTL_KO_PATH, 1, 0));
    }

    /** The generated files, path -> content, for golden tests and the dry run. */
    public static Map<String, String> files(NetworkSettings s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.plugin().equals(NetworkSettings.CALICO) || s.plugin().equals(NetworkSettings.FLANNEL)) {
            out.put(NETWORK_PLUGIN_PATH, manifest(s));
        }
        if (s.plugin().equals(NetworkSettings.KUBEOVN)) {
            out.putAll(kubeOvnManifests(s));
            out.put(KUBECTL_KO_PATH, kubectlKo(s));
        }
        if (s.plugin().equals(NetworkSettings.HYBRIDNET)
                && !s.hybridnet().networks().isEmpty()) {
            out.put(HYBRIDNET_NETWORKS_PATH, hybridnetNetworks(s));
        }
        if (s.multus() && !s.plugin().equals("none")) {
            out.put(MULTUS_PATH, multus(s));
        }
        return out;
    }

    /** network-plugin.yaml for calico or flannel. */
    public static String manifest(NetworkSettings s) {
        return switch (s.plugin()) {
            case NetworkSettings.CALICO -> calico(s);
            case NetworkSettings.FLANNEL -> flannel(s);
            default -> throw new IllegalArgumentException(s.plugin() + " has no network-plugin.yaml");
        };
    }

    static String calico(NetworkSettings s) {
        NetworkSettings.Calico c = s.calico();
        CniImages i = s.images();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("calicoVersion", tag(i.get("calico-node")));
        v.put("kubernetesVersion", s.kubernetesVersion());
        v.put("podsCidrs", s.dualStack() ? s.podsV4Cidr() + "," + s.podsV6Cidr() : s.podsV4Cidr());
        v.put("typha", s.typha());
        v.put("typhaServiceName", s.typha() ? "calico-typha" : "none");
        v.put("vethMTU", c.vethMTU());
        v.put("dualStack", s.dualStack());
        v.put("crds", CalicoCrds.yaml());
        v.put("calicoCniImage", i.get("calico-cni"));
        v.put("calicoNodeImage", i.get("calico-node"));
        v.put("calicoControllersImage", i.get("calico-kube-controllers"));
        v.put("calicoTyphaImage", s.typha() ? i.get("calico-typha") : "");
        v.put(
                "ipAutoDetectionMethod",
                c.ipAutoDetectionMethod().isEmpty() ? "can-reach=$(NODEIP)" : c.ipAutoDetectionMethod());
        v.put("ipipMode", c.ipipMode());
        v.put("vxlanMode", c.vxlanMode());
        v.put("ipv4NatOutgoing", c.ipv4NatOutgoing());
        v.put("ipv6NatOutgoing", c.ipv6NatOutgoing());
        v.put("defaultIPPool", c.defaultIPPool());
        v.put("podsV4Cidr", s.podsV4Cidr());
        v.put("podsV6Cidr", s.podsV6Cidr());
        v.put("nodeCidrMaskSize", s.nodeCidrMaskSize());
        v.put("nodeCidrMaskSizeIPv6", s.nodeCidrMaskSizeIPv6());
        v.put("controllerReplicas", c.controllerReplicas());
        v.put("controllerNodeSelector", nodeSelector(c.controllerNodeSelector()));
        v.put("typhaReplicas", c.typhaReplicas());
        v.put("typhaNodeSelector", nodeSelector(c.typhaNodeSelector()));
        return Template.resource(CniManifests.class, "calico.yaml").render(v);
    }

    static String flannel(NetworkSettings s) {
        CniImages i = s.images();
        // PodSecurityPolicy is gone from 1.25; from then flannel runs in its own privileged namespace
        boolean psp = minor(s.kubernetesVersion()) < 25;
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("flannelVersion", tag(i.get("flannel")));
        v.put("kubernetesVersion", s.kubernetesVersion());
        v.put("podsCidrs", s.dualStack() ? s.podsV4Cidr() + "," + s.podsV6Cidr() : s.podsV4Cidr());
        v.put("backendMode", s.flannel().backendMode());
        v.put("psp", psp);
        v.put("namespace", psp ? "kube-system" : "kube-flannel");
        v.put("podsV4Cidr", s.podsV4Cidr());
        v.put("podsV6Cidr", s.podsV6Cidr());
        v.put("dualStack", s.dualStack());
        // DirectRouting is a vxlan backend option: routes directly between nodes of one subnet
        v.put(
                "directRouting",
                s.flannel().directRouting() && s.flannel().backendMode().equals("vxlan"));
        v.put("flannelImage", i.get("flannel"));
        v.put("flannelCniPluginImage", i.get("flannel-cni-plugin"));
        return Template.resource(CniManifests.class, "flannel.yaml").render(v);
    }

    static String multus(NetworkSettings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("multusVersion", tag(s.images().get("multus")));
        v.put("plugin", s.plugin());
        v.put("multusImage", s.images().get("multus"));
        return Template.resource(CniManifests.class, "multus.yaml").render(v);
    }

    /** KubeKey's cilium command, plus IPv6 when the pod CIDR is dual-stack. */
    public static String ciliumCommand(NetworkSettings s) {
        List<String> sets = new ArrayList<>();
        sets.add("operator.image.override=" + s.images().get("cilium-operator-generic"));
        sets.add("operator.replicas=1");
        sets.add("image.override=" + s.images().get("cilium"));
        sets.add("ipam.operator.clusterPoolIPv4PodCIDR=" + s.podsV4Cidr());
        if (s.dualStack()) {
            sets.add("ipv6.enabled=true");
            sets.add("ipam.operator.clusterPoolIPv6PodCIDR=" + s.podsV6Cidr());
        }
        if (s.disableKubeProxy()) {
            // without kube-proxy, cilium must reach the API server without the Service IP
            sets.add("kubeProxyReplacement=strict");
            sets.add("k8sServiceHost=" + s.apiServerHost());
            sets.add("k8sServicePort=" + s.apiServerPort());
        }
        StringBuilder b = new StringBuilder(KubeStep.HELM)
                .append(" upgrade --install cilium ")
                .append(CILIUM_CHART_PATH)
                .append(" --namespace kube-system");
        sets.forEach(x -> b.append(" --set ").append(Shell.quote(x)));
        return b.toString();
    }

    /** The chart version matching the cilium image of KubeKey's table (chart 1.11.7 for v1.11.7). */
    public static String ciliumChartVersion(NetworkSettings s) {
        return ClusterImages.CILIUM_CHART_VERSION;
    }

    /** {@code charts/cilium-<version>.tgz} in the artifact: KubeKey embeds it, kk carries it there. */
    static Path ciliumChart(NetworkSettings s, Path artifactDir) {
        return chart(CILIUM_CHART_NAME, ciliumChartVersion(s), CILIUM_CHART_REPO, artifactDir);
    }

    private static Path chart(String name, String version, String repo, Path artifactDir) {
        String file = name + "-" + version + ".tgz";
        Path chart = artifactDir.resolve(CHARTS_DIR).resolve(file);
        if (!Files.isRegularFile(chart)) {
            throw KkException.invalidInput(
                    "network.plugin " + name + " needs its Helm chart " + CHARTS_DIR + "/" + file + ", which is not in "
                            + artifactDir,
                    "export an artifact that holds it (the " + name + " chart " + version + " from " + repo
                            + "), or put it at " + chart);
        }
        return chart;
    }

    // ---- kube-ovn

    /**
     * KubeKey's order: label the OVN database nodes, (TLS secret), the three manifests in one
     * retried apply. KubeKey asks the cluster which nodes carry the label; kk labels exactly the
     * nodes its manifests name in NODE_IPS, so the two cannot disagree.
     */
    static List<KubeStep> kubeOvnSteps(NetworkSettings s) {
        KubeOvnSettings k = s.kubeovn();
        List<KubeStep> out = new ArrayList<>();
        StringBuilder label = new StringBuilder(KubeStep.KUBECTL).append(" label node");
        k.masters().forEach(m -> label.append(' ').append(Shell.quote(m.name())));
        label.append(" kube-ovn/role=master --overwrite");
        out.add(new KubeStep("kube-ovn-label", Map.of(), Map.of(), label.toString(), ATTEMPTS, DELAY_SECONDS));
        if (k.enableSSL()) {
            out.add(new KubeStep("kube-ovn-tls", Map.of(), Map.of(), kubeOvnTlsCommand(), ATTEMPTS, DELAY_SECONDS));
        }
        Map<String, String> files = kubeOvnManifests(s);
        String apply = String.join(
                " && ",
                files.keySet().stream()
                        .map(p -> KubeStep.KUBECTL + " apply -f " + p + " --force")
                        .toList());
        out.add(new KubeStep("network-plugin", files, Map.of(), apply, ATTEMPTS, DELAY_SECONDS));
        return out;
    }

    /**
     * The {@code kube-ovn-tls} Secret, made once. KubeKey runs kube-ovn's generate-ssl.sh in the
     * kube-ovn image with {@code docker run}, which fails on containerd nodes; kk makes the same
     * three files (a CA, and a certificate and key it signs) with openssl on the first control
     * plane, puts them in the Secret and removes them.
     */
    static String kubeOvnTlsCommand() {
        String k = KubeStep.KUBECTL;
        return k + " -n kube-system get secret kube-ovn-tls >/dev/null 2>&1 || (d=$(mktemp -d) && (cd \"$d\""
                + " && openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=kube-ovn-ca"
                + " -keyout cakey.pem -out cacert.pem"
                + " && openssl req -newkey rsa:2048 -nodes -subj /CN=ovn -keyout ovn-privkey.pem -out ovn-req.pem"
                + " && openssl x509 -req -days 36500 -in ovn-req.pem -CA cacert.pem -CAkey cakey.pem"
                + " -CAcreateserial -out ovn-cert.pem"
                + " && " + k + " -n kube-system create secret generic kube-ovn-tls --from-file=cacert=cacert.pem"
                + " --from-file=cert=ovn-cert.pem --from-file=key=ovn-privkey.pem); rc=$?; rm -rf \"$d\"; exit $rc)";
    }

    /** kube-ovn-crd.yaml, ovn.yaml and kube-ovn.yaml, in applying order. */
    static Map<String, String> kubeOvnManifests(NetworkSettings s) {
        Map<String, Object> v = kubeOvnValues(s);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(
                KUBE_OVN_CRD_PATH,
                Template.resource(CniManifests.class, "kube-ovn-crd.yaml").render(v));
        out.put(OVN_PATH, Template.resource(CniManifests.class, "ovn.yaml").render(v));
        out.put(
                KUBE_OVN_PATH,
                Template.resource(CniManifests.class, "kube-ovn.yaml").render(v));
        return out;
    }

    static String kubectlKo(NetworkSettings s) {
        return Template.resource(CniManifests.class, "kubectl-ko").render(kubeOvnValues(s));
    }

    private static Map<String, Object> kubeOvnValues(NetworkSettings s) {
        KubeOvnSettings k = s.kubeovn();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kubeovnVersion", tag(s.images().get("kubeovn")));
        v.put("kubernetesVersion", s.kubernetesVersion());
        v.put("kubeovnImage", s.images().get("kubeovn"));
        v.put("psp", minor(s.kubernetesVersion()) < 25);
        v.put("hasIpFamilyPolicy", !k.ipFamilyPolicy().isEmpty());
        v.put("ipFamilyPolicy", k.ipFamilyPolicy());
        v.put("masterCount", k.masters().size());
        v.put("nodeIps", k.nodeIps());
        v.put("enableSSL", k.enableSSL());
        v.put("hwOffload", k.hwOffload());
        v.put("tunnelType", k.tunnelType());
        v.put("podCidr", s.dualStack() ? s.podsV4Cidr() + "," + s.podsV6Cidr() : s.podsV4Cidr());
        v.put("serviceCidr", s.serviceCidr());
        v.put("podGateway", k.podGateway());
        v.put("checkGateway", k.checkGateway());
        v.put("logicalGateway", k.logicalGateway());
        v.put("excludeIps", k.excludeIps());
        v.put("joinCidr", k.joinCidr());
        v.put("networkType", k.networkType());
        v.put("vlanInterfaceName", k.vlanInterfaceName());
        v.put("vlanId", k.vlanId());
        v.put("podNicType", k.podNicType());
        v.put("enableLB", k.enableLB());
        v.put("enableNP", k.enableNP());
        v.put("enableEipSnat", k.enableEipSnat());
        v.put("enableExternalVPC", k.enableExternalVPC());
        v.put("enableMirror", k.enableMirror());
        v.put("iface", k.iface());
        v.put("dpdkTunnelIface", k.dpdkTunnelIface());
        v.put("cniConfigPriority", k.cniConfigPriority());
        v.put("modules", k.modules());
        v.put("rpms", k.rpms());
        v.put("pingerExternalAddress", k.pingerExternalAddress());
        v.put("pingerExternalDomain", k.pingerExternalDomain());
        return v;
    }

    // ---- hybridnet

    /** The chart from the artifact with KubeKey's overrides, then the configured networks. */
    static List<KubeStep> hybridnetSteps(NetworkSettings s, Path artifactDir) {
        List<KubeStep> out = new ArrayList<>();
        out.add(new KubeStep(
                "network-plugin",
                Map.of(),
                Map.of(
                        HYBRIDNET_CHART_PATH,
                        chart(
                                HYBRIDNET_CHART_NAME,
                                ClusterImages.HYBRIDNET_CHART_VERSION,
                                HYBRIDNET_CHART_REPO,
                                artifactDir)),
                hybridnetCommand(s),
                ATTEMPTS,
                DELAY_SECONDS));
        if (!s.hybridnet().networks().isEmpty()) {
            // the Networks go through hybridnet's webhook: wait for it as KubeKey does (up to 300 s)
            String k = KubeStep.KUBECTL;
            out.add(new KubeStep(
                    "hybridnet-networks",
                    Map.of(HYBRIDNET_NETWORKS_PATH, hybridnetNetworks(s)),
                    Map.of(),
                    k + " -n kube-system wait --for=condition=Ready pod -l app=hybridnet,component=webhook"
                            + " --timeout=300s && " + k + " apply -f " + HYBRIDNET_NETWORKS_PATH,
                    ATTEMPTS,
                    10));
        }
        return out;
    }

    /** KubeKey's hybridnet command: the image split into registry, repository and tag, and its keys. */
    public static String hybridnetCommand(NetworkSettings s) {
        HybridnetSettings h = s.hybridnet();
        String image = s.images().get("hybridnet");
        String tag = tag(image);
        String path = image.substring(0, image.lastIndexOf(':'));
        String registry = "docker.io";
        int slash = path.indexOf('/');
        String first = slash < 0 ? "" : path.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            registry = first;
            path = path.substring(slash + 1);
        }
        List<String> sets = new ArrayList<>();
        sets.add("images.hybridnet.image=" + path);
        sets.add("images.hybridnet.tag=" + tag);
        sets.add("images.registryURL=" + registry);
        // the chart's init subnet is one family (init.ipVersion "4"): KubeKey hands it the whole
        // kubePodsCIDR, which breaks on "ipv4,ipv6"; kk hands it the IPv4 part
        sets.add(h.init() ? "init.cidr=" + s.podsV4Cidr() : "init=null");
        if (!h.enableNetworkPolicy()) {
            sets.add("daemon.enableNetworkPolicy=false");
        }
        if (!h.defaultNetworkType().isEmpty()) {
            sets.add("defaultNetworkType=" + h.defaultNetworkType());
        }
        if (!h.preferBGPInterfaces().isEmpty()) {
            sets.add("daemon.preferBGPInterfaces=" + h.preferBGPInterfaces());
        }
        if (!h.preferVlanInterfaces().isEmpty()) {
            sets.add("daemon.preferVlanInterfaces=" + h.preferVlanInterfaces());
        }
        if (!h.preferVxlanInterfaces().isEmpty()) {
            sets.add("daemon.preferVxlanInterfaces=" + h.preferVxlanInterfaces());
        }
        StringBuilder b = new StringBuilder(KubeStep.HELM)
                .append(" upgrade --install hybridnet ")
                .append(HYBRIDNET_CHART_PATH)
                .append(" --namespace kube-system");
        // helm --set splits on commas: escape them inside a value (interface lists)
        sets.forEach(x -> b.append(" --set ").append(Shell.quote(x.replace(",", "\\,"))));
        return b.toString();
    }

    /** hybridnet-networks.yaml: each Network of {@code network.hybridnet.networks}, then its Subnets. */
    @SuppressWarnings("unchecked")
    static String hybridnetNetworks(NetworkSettings s) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> n : s.hybridnet().networks()) {
            String name = String.valueOf(n.get("name"));
            b.append("---\napiVersion: networking.alibaba.com/v1\nkind: Network\nmetadata:\n  name: ")
                    .append(yamlScalar(name))
                    .append("\nspec:\n");
            if (n.get("netID") != null) {
                b.append("  netID: ").append(n.get("netID")).append('\n');
            }
            b.append("  type: ")
                    .append(yamlScalar(String.valueOf(n.getOrDefault("type", "Overlay"))))
                    .append('\n');
            if (n.get("mode") != null) {
                b.append("  mode: ")
                        .append(yamlScalar(String.valueOf(n.get("mode"))))
                        .append('\n');
            }
            if (n.get("nodeSelector") instanceof Map<?, ?> sel && !sel.isEmpty()) {
                b.append("  nodeSelector:\n");
                sel.forEach((k, v) -> b.append("    ")
                        .append(yamlScalar(String.valueOf(k)))
                        .append(": ")
                        .append(yamlScalar(String.valueOf(v)))
                        .append('\n'));
            }
            if (!(n.get("subnets") instanceof List<?> subnets)) {
                continue;
            }
            for (Object o : subnets) {
                if (!(o instanceof Map<?, ?> raw)) {
                    continue;
                }
                Map<String, Object> sn = (Map<String, Object>) raw;
                b.append("---\napiVersion: networking.alibaba.com/v1\nkind: Subnet\nmetadata:\n  name: ")
                        .append(yamlScalar(String.valueOf(sn.get("name"))))
                        .append("\nspec:\n  network: ")
                        .append(yamlScalar(name))
                        .append('\n');
                if (sn.get("netID") != null) {
                    b.append("  netID: ").append(sn.get("netID")).append('\n');
                }
                b.append("  range:\n    version: \"4\"\n");
                for (String key : List.of("cidr", "gateway", "start", "end")) {
                    if (sn.get(key) != null) {
                        b.append("    ")
                                .append(key)
                                .append(": \"")
                                .append(sn.get(key))
                                .append("\"\n");
                    }
                }
                for (String key : List.of("reservedIPs", "excludeIPs")) {
                    if (sn.get(key) instanceof List<?> ips && !ips.isEmpty()) {
                        b.append("    ").append(key).append(":\n");
                        ips.forEach(ip -> b.append("      - \"").append(ip).append("\"\n"));
                    }
                }
            }
        }
        return b.toString();
    }

    private static String nodeSelector(Map<String, String> user) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("kubernetes.io/os", "linux");
        all.putAll(user);
        StringBuilder b = new StringBuilder();
        all.forEach((k, val) -> b.append(b.isEmpty() ? "" : "\n")
                .append("        ")
                .append(k)
                .append(": ")
                .append(yamlScalar(val)));
        return b.toString();
    }

    private static String yamlScalar(String s) {
        return s.matches("[A-Za-z0-9_./-]+") && !s.matches("(?i)true|false|yes|no|on|off|null|~|[0-9.]+")
                ? s
                : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    static int minor(String version) {
        return Versions.numbers(version, 2)[1];
    }
}
