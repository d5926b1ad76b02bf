package io.kk.cluster.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code network.hybridnet} as KubeKey 3.1 reads it: helm values for the hybridnet chart, and the
 * Networks/Subnets created after it.
 *
 * @param init create the chart's "init" overlay network from the pod CIDR (KubeKey's default true)
 * @param enableNetworkPolicy default true; false sets {@code daemon.enableNetworkPolicy=false}
 * @param networks {@code networks[]} as written (name, netID, type, mode, nodeSelector, subnets[])
 */
public record HybridnetSettings(
        String defaultNetworkType,
        boolean enableNetworkPolicy,
        boolean init,
        String preferVxlanInterfaces,
        String preferVlanInterfaces,
        String preferBGPInterfaces,
        List<Map<String, Object>> networks) {

    public HybridnetSettings {
        networks = List.copyOf(networks);
    }

    @SuppressWarnings("unchecked")
    static HybridnetSettings of(Map<String, Object> h) {
        List<Map<String, Object>> networks = new ArrayList<>();
        if (h.get("networks") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    networks.add(new LinkedHashMap<>((Map<String, Object>) m));
                }
            }
        }
        return new HybridnetSettings(
                str(h.get("defaultNetworkType")),
                !Boolean.FALSE.equals(h.get("enableNetworkPolicy"))
                        && !"false".equals(str(h.get("enableNetworkPolicy"))),
                !Boolean.FALSE.equals(h.get("init")) && !"false".equals(str(h.get("init"))),
                str(h.get("preferVxlanInterfaces")),
                str(h.get("preferVlanInterfaces")),
                str(h.get("preferBGPInterfaces")),
                networks);
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o).strip();
    }
}
