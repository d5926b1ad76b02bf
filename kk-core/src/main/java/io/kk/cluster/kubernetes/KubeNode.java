package io.kk.cluster.kubernetes;

import java.util.Objects;

/**
 * One host of the cluster as the generators need it.
 *
 * @param name the config's host name; becomes the node name (kubelet {@code --hostname-override})
 * @param address the address kk reaches it by (also a certificate SAN)
 * @param internalAddress the address the cluster uses (node IP, API server advertise address);
 *     dual-stack hosts give "ipv4,ipv6" as in KubeKey
 * @param controlPlane in the {@code control-plane} (or {@code master}) role group
 * @param worker in the {@code worker} role group
 */
public record KubeNode(String name, String address, String internalAddress, boolean controlPlane, boolean worker) {
    public KubeNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        internalAddress = internalAddress == null || internalAddress.isBlank() ? address : internalAddress;
    }

    /** The first internal address (the IPv4 one on dual-stack hosts): what the API server advertises. */
    public String primaryInternalAddress() {
        return internalAddress.split(",")[0].trim();
    }
}
