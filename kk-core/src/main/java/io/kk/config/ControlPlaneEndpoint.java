package io.kk.config;

/**
 * How clients reach the API servers.
 *
 * @param internalLoadbalancer "" (none), "haproxy" or "kube-vip"
 * @param address as written; empty means "the first control plane" (see {@link
 *     ClusterConfig#endpointAddress()})
 * @param kubevipMode kube-vip's mode (ARP by default)
 */
public record ControlPlaneEndpoint(
        String internalLoadbalancer, String domain, boolean externalDNS, String address, int port, String kubevipMode) {
    public static final String HAPROXY = "haproxy";
    public static final String KUBE_VIP = "kube-vip";
}
