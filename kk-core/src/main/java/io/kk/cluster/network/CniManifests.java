package io.kk.cluster.network;

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
 * (optional, with a plugin) as {@code /etc/kubernetes/multus-network-plugin.yaml}. Pure: the
 * generated texts and commands, no I/O except locating cilium's chart.
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

    /** The generated files, path -> content, for golden tests and the dry run. */
    public static Map<String, String> files(NetworkSettings s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.plugin().equals(NetworkSettings.CALICO) || s.plugin().equals(NetworkSettings.FLANNEL)) {
            out.put(NETWORK_PLUGIN_PATH, manifest(s));
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
        String file = CILIUM_CHART_NAME + "-" + ciliumChartVersion(s) + ".tgz";
        Path chart = artifactDir.resolve(CHARTS_DIR).resolve(file);
        if (!Files.isRegularFile(chart)) {
            throw KkException.invalidInput(
                    "network.plugin cilium needs its Helm chart " + CHARTS_DIR + "/" + file + ", which is not in "
                            + artifactDir,
                    "export an artifact that holds it (the cilium chart " + ciliumChartVersion(s) + " from "
                            + CILIUM_CHART_REPO + "), or put it at " + chart);
        }
        return chart;
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
        String[] parts = version.replaceFirst("^v", "").split("[.+-]");
        return Integer.parseInt(parts[1]);
    }
}
