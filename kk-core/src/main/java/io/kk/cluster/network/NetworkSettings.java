package io.kk.cluster.network;

import io.kk.cluster.images.ImageNeeds;
import io.kk.config.ClusterConfig;
import io.kk.config.NetworkConfig;
import io.kk.image.RegistryTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the network plugin manifests are made from: the Cluster config's {@code spec.network} (and
 * the few {@code spec.kubernetes} fields KubeKey's templates read), with the CNI images already
 * named for the nodes.
 *
 * @param plugin calico | flannel | cilium | kubeovn | hybridnet | none (KubeKey deploys no CNI for
 *     any other name)
 * @param podsV4Cidr the IPv4 part of kubePodsCIDR
 * @param podsV6Cidr the IPv6 part of a dual-stack kubePodsCIDR ("ipv4,ipv6"), or ""
 * @param typha calico typha (KubeKey: more than 50 Kubernetes nodes)
 * @param apiServerHost the endpoint address cilium's kube-proxy replacement talks to
 * @param kubeovn {@code network.kubeovn} with defaults (null unless the plugin is kubeovn)
 * @param hybridnet {@code network.hybridnet} (null unless the plugin is hybridnet)
 * @param controlPlanes the control-plane host names (kube-ovn's kubectl-ko goes to each)
 */
public record NetworkSettings(
        String plugin,
        String kubernetesVersion,
        String podsV4Cidr,
        String podsV6Cidr,
        String serviceCidr,
        int nodeCidrMaskSize,
        int nodeCidrMaskSizeIPv6,
        Calico calico,
        Flannel flannel,
        boolean multus,
        boolean typha,
        boolean disableKubeProxy,
        String apiServerHost,
        int apiServerPort,
        CniImages images,
        KubeOvnSettings kubeovn,
        HybridnetSettings hybridnet,
        List<String> controlPlanes) {

    public static final String CALICO = "calico";
    public static final String FLANNEL = "flannel";
    public static final String CILIUM = "cilium";
    public static final String KUBEOVN = "kubeovn";
    public static final String HYBRIDNET = "hybridnet";

    /**
     * @param typhaReplicas calico.typha.replicas (KubeKey's default 1)
     * @param controllerReplicas calico.controller.replicas (default 1)
     */
    public record Calico(
            String ipipMode,
            String vxlanMode,
            int vethMTU,
            boolean ipv4NatOutgoing,
            boolean ipv6NatOutgoing,
            boolean defaultIPPool,
            String ipAutoDetectionMethod,
            int typhaReplicas,
            Map<String, String> typhaNodeSelector,
            int controllerReplicas,
            Map<String, String> controllerNodeSelector) {
        public Calico {
            typhaNodeSelector = Map.copyOf(typhaNodeSelector);
            controllerNodeSelector = Map.copyOf(controllerNodeSelector);
        }
    }

    public record Flannel(String backendMode, boolean directRouting) {}

    public NetworkSettings {
        controlPlanes = List.copyOf(controlPlanes);
    }

    public boolean dualStack() {
        return !podsV6Cidr.isEmpty();
    }

    /**
     * The settings of a Cluster config; {@code target} names the images as they were pushed
     * (privateRegistry, namespaceOverride, namespaceRewrite).
     */
    public static NetworkSettings of(ClusterConfig c, RegistryTarget target) {
        NetworkConfig n = c.network();
        String plugin = n.plugin() == null ? "" : n.plugin().strip().toLowerCase(Locale.ROOT);
        if (!List.of(CALICO, FLANNEL, CILIUM, KUBEOVN, HYBRIDNET).contains(plugin)) {
            plugin = "none";
        }
        String[] pods = n.kubePodsCIDR().split(",");
        int k8sHosts = c.k8sHosts().size();
        ImageNeeds needs = new ImageNeeds(
                c.kubernetes().version(),
                c.kubernetes().containerManager(),
                plugin,
                n.multusCNI(),
                false,
                "",
                "kubekey",
                !c.kubernetes().disableKubeProxy(),
                Math.max(1, k8sHosts));
        NetworkConfig.Calico ca = n.calico();
        Calico calico = new Calico(
                ca.ipipMode(),
                ca.vxlanMode(),
                ca.vethMTU(),
                ca.ipv4NatOutgoing(),
                ca.ipv6NatOutgoing(),
                ca.defaultIPPOOL(),
                ca.ipAutoDetectionMethod() == null ? "" : ca.ipAutoDetectionMethod(),
                intOf(ca.typha().get("replicas"), 1),
                strings(ca.typha().get("nodeSelector")),
                intOf(ca.controller().get("replicas"), 1),
                strings(ca.controller().get("nodeSelector")));
        return new NetworkSettings(
                plugin,
                c.kubernetes().version(),
                pods[0].strip(),
                pods.length > 1 ? pods[1].strip() : "",
                n.kubeServiceCIDR(),
                c.kubernetes().nodeCidrMaskSize() > 0 ? c.kubernetes().nodeCidrMaskSize() : 24,
                c.kubernetes().nodeCidrMaskSizeIPv6() == null
                        ? 64
                        : c.kubernetes().nodeCidrMaskSizeIPv6(),
                calico,
                new Flannel(n.flannel().backendMode(), n.flannel().directRouting()),
                n.multusCNI(),
                k8sHosts > 50,
                c.kubernetes().disableKubeProxy(),
                c.endpointAddress(),
                c.controlPlaneEndpoint().port(),
                CniImages.of(needs, target),
                plugin.equals(KUBEOVN)
                        ? KubeOvnSettings.of(c, pods[0].strip(), pods.length > 1 ? pods[1].strip() : "")
                        : null,
                plugin.equals(HYBRIDNET) ? HybridnetSettings.of(n.hybridnet()) : null,
                c.controlPlaneHosts().stream().map(h -> h.name()).toList());
    }

    private static int intOf(Object o, int dflt) {
        if (o instanceof Number num && num.intValue() > 0) {
            return num.intValue();
        }
        return dflt;
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }
}
