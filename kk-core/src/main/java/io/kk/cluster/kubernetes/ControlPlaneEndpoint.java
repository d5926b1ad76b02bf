package io.kk.cluster.kubernetes;

import java.util.Locale;
import java.util.Objects;

/**
 * The Cluster config's {@code spec.controlPlaneEndpoint}: the name every node reaches the API
 * server by, and how that name is made highly available.
 *
 * @param domain e.g. {@code lb.kubesphere.local}; mapped in /etc/hosts by kk
 * @param address external LB or kube-vip VIP address; empty with the internal haproxy or none
 * @param port the API server port behind the name (6443)
 * @param internalLoadBalancer "" (none, or an external LB at {@code address}), "haproxy" or
 *     "kube-vip"
 */
public record ControlPlaneEndpoint(String domain, String address, int port, String internalLoadBalancer) {

    public ControlPlaneEndpoint {
        Objects.requireNonNull(domain, "domain");
        address = address == null ? "" : address;
        internalLoadBalancer =
                internalLoadBalancer == null ? "" : internalLoadBalancer.trim().toLowerCase(Locale.ROOT);
        if (!internalLoadBalancer.isEmpty()
                && !internalLoadBalancer.equals("haproxy")
                && !internalLoadBalancer.equals("kube-vip")) {
            throw new IllegalArgumentException("unknown internalLoadbalancer: " + internalLoadBalancer);
        }
        if (internalLoadBalancer.equals("kube-vip") && address.isEmpty()) {
            throw new IllegalArgumentException("kube-vip needs controlPlaneEndpoint.address (the VIP)");
        }
    }

    /** {@code domain:port}, the kubeadm controlPlaneEndpoint. */
    public String hostPort() {
        return domain + ":" + port;
    }

    public boolean haproxy() {
        return internalLoadBalancer.equals("haproxy");
    }

    public boolean kubeVip() {
        return internalLoadBalancer.equals("kube-vip");
    }
}
