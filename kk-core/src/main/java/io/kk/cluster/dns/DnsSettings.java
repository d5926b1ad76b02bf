package io.kk.cluster.dns;

import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import io.kk.cluster.network.CniImages;
import io.kk.config.ClusterConfig;
import io.kk.config.DnsConfig;
import io.kk.error.KkException;
import io.kk.image.RegistryTarget;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster DNS manifests are made from: {@code spec.dns}, {@code kubernetes.dnsDomain},
 * {@code kubernetes.nodelocaldns} and the service CIDR of a Cluster config, with the CoreDNS and
 * node-cache images named as the nodes pull them.
 *
 * @param corednsServiceIp the 3rd address of the service CIDR, where KubeKey puts CoreDNS's
 *     Service (kubelet's clusterDNS without nodelocaldns; nodelocaldns's upstream with it)
 * @param nodeLocalDns deploy nodelocaldns ({@code kubernetes.nodelocaldns}, default true)
 * @param etcHosts {@code dns.dnsEtcHosts}: an /etc/hosts text both resolvers answer from, or ""
 * @param nodeLocalZones {@code dns.nodelocaldns.externalZones}
 * @param nodeCacheImage the node-cache image on the nodes ("" without nodelocaldns)
 */
public record DnsSettings(
        String dnsDomain,
        String corednsServiceIp,
        boolean nodeLocalDns,
        String etcHosts,
        CoreDns coredns,
        List<Zone> nodeLocalZones,
        String corednsImage,
        String nodeCacheImage) {

    /** nodelocaldns's link-local address (KubeKey's; the kubelet config points pods at it). */
    public static final String NODE_LOCAL_DNS_IP = "169.254.25.10";

    /** The cache TTL of an external zone that sets none (0 is not a valid CoreDNS cache TTL). */
    static final int DEFAULT_ZONE_CACHE = 30;

    public DnsSettings {
        nodeLocalZones = List.copyOf(nodeLocalZones);
    }

    /**
     * {@code dns.coredns}: extra Corefile lines before and inside the main server block, zones
     * forwarded elsewhere, and the upstreams of everything else (the node's resolv.conf when empty).
     */
    public record CoreDns(
            String additionalConfigs, List<Zone> externalZones, String rewriteBlock, List<String> upstreams) {
        public CoreDns {
            externalZones = List.copyOf(externalZones);
            upstreams = List.copyOf(upstreams);
        }
    }

    /** One external zone: its names, the nameservers they are forwarded to, cache TTL, rewrites. */
    public record Zone(List<String> zones, List<String> nameservers, int cache, List<String> rewrite) {
        public Zone {
            zones = List.copyOf(zones);
            nameservers = List.copyOf(nameservers);
            rewrite = List.copyOf(rewrite);
        }
    }

    public static DnsSettings of(ClusterConfig c, RegistryTarget target) {
        DnsConfig d = c.dns();
        boolean nodeLocal = c.kubernetes().nodelocaldns();
        ImageNeeds needs = new ImageNeeds(
                c.kubernetes().version(), c.kubernetes().containerManager(), "none", false, nodeLocal, "", "", true, 1);
        String coredns = "";
        String nodeCache = "";
        for (ClusterImages.NeededImage i : ClusterImages.of(needs)) {
            if (i.name().equals("coredns")) {
                coredns = CniImages.nodeName(target, i.reference());
            } else if (i.name().equals("k8s-dns-node-cache")) {
                nodeCache = CniImages.nodeName(target, i.reference());
            }
        }
        DnsConfig.CoreDns cd = d.coredns();
        return new DnsSettings(
                c.kubernetes().dnsDomain(),
                serviceIp(c.network().kubeServiceCIDR(), 3),
                nodeLocal,
                d.dnsEtcHosts() == null ? "" : d.dnsEtcHosts().strip(),
                new CoreDns(
                        blankToEmpty(cd.additionalConfigs()),
                        zones(cd.externalZones(), "dns.coredns.externalZones"),
                        blankToEmpty(cd.rewriteBlock()),
                        cd.upstreamDNSServers()),
                zones(d.nodelocaldnsZones(), "dns.nodelocaldns.externalZones"),
                coredns,
                nodeCache);
    }

    private static List<Zone> zones(List<DnsConfig.ExternalZone> given, String path) {
        List<Zone> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            DnsConfig.ExternalZone z = given.get(i);
            if (z.zones().isEmpty() || z.nameservers().isEmpty()) {
                throw KkException.invalidInput(
                        path + "[" + i + "] needs zones and nameservers",
                        "give e.g. zones: [example.com] and nameservers: [10.0.0.53]; CoreDNS would not start"
                                + " with an empty server block");
            }
            out.add(new Zone(z.zones(), z.nameservers(), z.cache() > 0 ? z.cache() : DEFAULT_ZONE_CACHE, z.rewrite()));
        }
        return out;
    }

    private static String blankToEmpty(String s) {
        return s == null || s.isBlank() ? "" : s.strip();
    }

    /** The {@code n}-th address of the (first) service CIDR, 1-based: KubeKey's coredns IP is n=3. */
    static String serviceIp(String serviceCidrs, int n) {
        String cidr = serviceCidrs.split(",")[0].strip();
        int slash = cidr.indexOf('/');
        try {
            byte[] base = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash))
                    .getAddress();
            byte[] raw = new BigInteger(1, base).add(BigInteger.valueOf(n)).toByteArray();
            byte[] out = new byte[base.length];
            int copy = Math.min(raw.length, out.length);
            System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException e) {
            throw KkException.invalidInput(
                    "network.kubeServiceCIDR " + serviceCidrs + " is not a CIDR", "write it as e.g. 10.233.0.0/18");
        }
    }
}
