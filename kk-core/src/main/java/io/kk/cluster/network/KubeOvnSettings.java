package io.kk.cluster.network;

import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.error.KkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code network.kubeovn} with KubeKey's defaults ({@code SetDefaultNetworkCfg}), and the nodes that
 * carry {@code kube-ovn/role=master} (where ovn-central and the monitor run).
 *
 * @param label the node selector (KubeKey's {@code label}) picking the OVN database nodes
 * @param masters name and internal IPv4 of each node the label selects, in config order
 * @param ipFamilyPolicy the Services' {@code ipFamilyPolicy}, or "" (KubeKey's {@code
 *     svcYamlIpfamilypolicy}, written as {@code ipFamilyPolicy: X} or just {@code X})
 */
public record KubeOvnSettings(
        boolean enableSSL,
        String joinCidr,
        String label,
        String tunnelType,
        String ipFamilyPolicy,
        boolean hwOffload,
        String podGateway,
        boolean checkGateway,
        boolean logicalGateway,
        String excludeIps,
        String networkType,
        String vlanInterfaceName,
        String vlanId,
        String podNicType,
        boolean enableLB,
        boolean enableNP,
        boolean enableEipSnat,
        boolean enableExternalVPC,
        boolean enableMirror,
        String iface,
        String dpdkTunnelIface,
        String cniConfigPriority,
        String modules,
        String rpms,
        String pingerExternalAddress,
        String pingerExternalDomain,
        List<Master> masters) {

    /** A node labelled {@code kube-ovn/role=master}. */
    public record Master(String name, String address) {}

    public static final String DEFAULT_LABEL = "node-role.kubernetes.io/control-plane";

    public KubeOvnSettings {
        masters = List.copyOf(masters);
    }

    /** The comma-separated addresses of the OVN database nodes (kube-ovn's NODE_IPS / OVN_DB_IPS). */
    public String nodeIps() {
        return String.join(",", masters.stream().map(Master::address).toList());
    }

    static KubeOvnSettings of(ClusterConfig c, String podsV4, String podsV6) {
        Map<String, Object> k = c.network().kubeovn();
        Map<String, Object> controller = map(k.get("kube-ovn-controller"));
        Map<String, Object> cni = map(k.get("kube-ovn-cni"));
        Map<String, Object> pinger = map(k.get("kube-ovn-pinger"));
        if (bool(map(k.get("dpdk")).get("dpdkMode"), false)) {
            throw KkException.invalidInput(
                    "network.kubeovn.dpdk.dpdkMode is not supported by kk",
                    "KubeKey's DPDK mode pulls kubeovn/kube-ovn-dpdk straight from Docker Hub, which an"
                            + " air-gapped site cannot reach; remove dpdkMode or install kube-ovn as an addon");
        }
        boolean dual = !podsV6.isEmpty();
        String gateway = str(controller.get("podGateway"), "");
        if (gateway.isEmpty()) {
            // KubeKey's default is 10.233.64.1, the first address of ITS default pod CIDR: kk takes
            // the first address of the configured one, which is the same for the default CIDR
            gateway = firstHost(podsV4) + (dual ? "," + firstHost(podsV6) : "");
        }
        String label = str(k.get("label"), DEFAULT_LABEL);
        String policy = str(k.get("svcYamlIpfamilypolicy"), "");
        if (policy.contains(":")) {
            policy = policy.substring(policy.indexOf(':') + 1).strip();
        }
        return new KubeOvnSettings(
                bool(k.get("enableSSL"), false),
                str(k.get("joinCIDR"), dual ? "100.64.0.0/16,fd00:100:64::/64" : "100.64.0.0/16"),
                label,
                str(k.get("tunnelType"), "geneve"),
                policy,
                bool(map(k.get("ovs-ovn")).get("hwOffload"), false),
                gateway,
                bool(controller.get("checkGateway"), true),
                bool(controller.get("logicalGateway"), false),
                str(controller.get("excludeIps"), ""),
                str(controller.get("networkType"), "geneve"),
                str(controller.get("vlanInterfaceName"), ""),
                str(controller.get("vlanID"), "100"),
                str(controller.get("podNicType"), "veth-pair"),
                bool(controller.get("enableLB"), true),
                bool(controller.get("enableNP"), true),
                bool(controller.get("enableEipSnat"), true),
                bool(controller.get("enableExternalVPC"), true),
                bool(cni.get("enableMirror"), false),
                str(cni.get("iface"), ""),
                str(map(k.get("dpdk")).get("dpdkTunnelIface"), "br-phy"),
                str(cni.get("CNIConfigPriority"), "01"),
                str(cni.get("modules"), "kube_ovn_fastpath.ko"),
                str(cni.get("RPMs"), "openvswitch-kmod"),
                str(pinger.get("pingerExternalAddress"), "114.114.114.114"),
                str(pinger.get("pingerExternalDomain"), ""),
                masters(c, label));
    }

    /**
     * The nodes the label selects when the network phase runs: kubeadm's role labels (control-plane
     * on every version kk deploys, master below 1.24), KubeKey's worker label, and the hosts' own
     * {@code labels}. KubeKey asks the cluster ({@code kubectl get no -l<label>}); kk knows the
     * answer from the config, so the manifests are fixed before anything runs.
     */
    static List<Master> masters(ClusterConfig c, String selector) {
        String key = selector.strip();
        String value = null;
        int eq = key.indexOf('=');
        if (eq >= 0) {
            value = key.substring(eq + 1).replaceFirst("^=", "").strip();
            key = key.substring(0, eq).strip();
        }
        List<Master> out = new ArrayList<>();
        boolean old = CniManifests.minor(c.kubernetes().version()) < 24;
        for (Host h : c.k8sHosts()) {
            Map<String, String> labels = new java.util.LinkedHashMap<>();
            if (c.controlPlaneHosts().contains(h)) {
                labels.put("node-role.kubernetes.io/control-plane", "");
                if (old) {
                    labels.put("node-role.kubernetes.io/master", "");
                }
            }
            if (c.workerHosts().contains(h)) {
                labels.put("node-role.kubernetes.io/worker", "");
            }
            labels.putAll(h.labels());
            if (labels.containsKey(key) && (value == null || value.equals(labels.get(key)))) {
                out.add(new Master(h.name(), h.internalIPv4()));
            }
        }
        if (out.isEmpty()) {
            throw KkException.invalidInput(
                    "network.kubeovn.label " + selector + " selects no node",
                    "use a label the control-plane nodes carry (default " + DEFAULT_LABEL
                            + "), or give some hosts that label under hosts[].labels");
        }
        return out;
    }

    /** The first usable address of a CIDR (the network address + 1), IPv4 or IPv6. */
    static String firstHost(String cidr) {
        String net = cidr.substring(0, cidr.indexOf('/')).strip();
        try {
            byte[] b = java.net.InetAddress.getByName(net).getAddress();
            for (int i = b.length - 1; i >= 0; i--) {
                if (++b[i] != 0) {
                    break;
                }
            }
            String s = java.net.InetAddress.getByAddress(b).getHostAddress();
            return b.length == 16 ? compressV6(s) : s;
        } catch (java.net.UnknownHostException e) {
            throw KkException.invalidInput(
                    "network.kubePodsCIDR " + cidr + " is not a CIDR",
                    "write it as address/prefix, e.g. 10.233.64.0/18");
        }
    }

    /** RFC 5952 text: Java prints every group (fd00:0:0:0:0:0:0:1); shorten the longest zero run. */
    private static String compressV6(String full) {
        String[] g = full.split(":");
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length; i++) {
            int j = i;
            while (j < g.length && g[j].equals("0")) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
        }
        if (bestAt < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestAt));
        String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestAt + bestLen, g.length));
        return head + "::" + tail;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String str(Object o, String dflt) {
        return o == null || String.valueOf(o).isBlank()
                ? dflt
                : String.valueOf(o).strip();
    }

    private static boolean bool(Object o, boolean dflt) {
        if (o instanceof Boolean b) {
            return b;
        }
        return o == null ? dflt : Boolean.parseBoolean(String.valueOf(o).strip());
    }
}
