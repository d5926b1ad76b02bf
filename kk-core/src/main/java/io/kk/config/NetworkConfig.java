package io.kk.config;

import java.util.Map;

/**
 * The pod network. kubeovn and hybridnet have many plugin-specific knobs that kk hands to their
 * manifests as they are, so they stay free maps.
 *
 * @param kubePodsCIDR one CIDR, or {@code "ipv4,ipv6"} for dual stack
 */
public record NetworkConfig(
        String plugin,
        String kubePodsCIDR,
        String kubeServiceCIDR,
        Calico calico,
        Flannel flannel,
        Map<String, Object> kubeovn,
        Map<String, Object> hybridnet,
        boolean multusCNI) {

    public NetworkConfig {
        kubeovn = kubeovn == null ? Map.of() : kubeovn;
        hybridnet = hybridnet == null ? Map.of() : hybridnet;
    }

    public record Calico(
            String ipipMode,
            String vxlanMode,
            int vethMTU,
            boolean ipv4NatOutgoing,
            boolean ipv6NatOutgoing,
            boolean defaultIPPOOL,
            String ipAutoDetectionMethod,
            Map<String, Object> typha,
            Map<String, Object> controller) {
        public Calico {
            typha = typha == null ? Map.of() : typha;
            controller = controller == null ? Map.of() : controller;
        }
    }

    public record Flannel(String backendMode, boolean directRouting) {}
}
