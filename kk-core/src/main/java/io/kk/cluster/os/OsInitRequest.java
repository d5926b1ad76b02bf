package io.kk.cluster.os;

import io.kk.plan.Inventory;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code kk init os} needs, taken from the Cluster config by the caller.
 *
 * @param hosts the hosts in config order
 * @param clusterName {@code kubernetes.clusterName}: /etc/hosts gets {@code <name>.<clusterName>}
 * @param lbDomain {@code controlPlaneEndpoint.domain}, e.g. lb.kubesphere.local
 * @param lbAddress {@code controlPlaneEndpoint.address}; blank means the first control-plane node
 * @param privateRegistry the name the registry host gets in /etc/hosts (KubeKey: {@code
 *     registry.privateRegistry}, else dockerhub.kubekey.local)
 * @param ntpServers chrony servers; a host name from the inventory makes that host a server
 * @param timezone e.g. Asia/Shanghai; blank leaves it alone
 * @param proxyMode ipvs or iptables (ipvs needs the ip_vs modules)
 * @param maxTimeDrift a host whose clock is further off than this fails the precheck
 */
public record OsInitRequest(
        List<Target> hosts,
        String clusterName,
        String lbDomain,
        String lbAddress,
        String privateRegistry,
        List<String> ntpServers,
        String timezone,
        List<String> debs,
        List<String> rpms,
        List<CustomScript> preInstall,
        List<CustomScript> postInstall,
        PackageSource packages,
        String proxyMode,
        Duration maxTimeDrift) {

    public static final String DEFAULT_REGISTRY_NAME = "dockerhub.kubekey.local";
    public static final String DEFAULT_LB_DOMAIN = "lb.kubesphere.local";

    public OsInitRequest {
        hosts = List.copyOf(hosts);
        clusterName = blankTo(clusterName, "cluster.local");
        lbDomain = blankTo(lbDomain, DEFAULT_LB_DOMAIN);
        lbAddress = lbAddress == null || lbAddress.isBlank() || lbAddress.equals("127.0.0.1")
                ? hosts.stream()
                        .filter(h -> h.has(Role.CONTROL_PLANE))
                        .map(Target::internalAddress)
                        .findFirst()
                        .orElse("")
                : lbAddress;
        privateRegistry = blankTo(privateRegistry, DEFAULT_REGISTRY_NAME);
        ntpServers = ntpServers == null ? List.of() : List.copyOf(ntpServers);
        timezone = timezone == null ? "" : timezone.strip();
        debs = debs == null ? List.of() : List.copyOf(debs);
        rpms = rpms == null ? List.of() : List.copyOf(rpms);
        preInstall = preInstall == null ? List.of() : List.copyOf(preInstall);
        postInstall = postInstall == null ? List.of() : List.copyOf(postInstall);
        packages = packages == null ? new PackageSource.Online() : packages;
        proxyMode = blankTo(proxyMode, "ipvs");
        maxTimeDrift = maxTimeDrift == null ? Duration.ofSeconds(60) : maxTimeDrift;
        Objects.requireNonNull(packages);
    }

    /** A request with KubeKey's defaults for everything but the hosts. */
    public static OsInitRequest of(List<Target> hosts) {
        return new OsInitRequest(hosts, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Inventory inventory() {
        return new Inventory(hosts);
    }

    /** The registry name with its port (if any) removed, as /etc/hosts needs it. */
    public String registryHostName() {
        String r = privateRegistry;
        int slash = r.indexOf('/');
        if (slash > 0) {
            r = r.substring(0, slash);
        }
        int colon = r.lastIndexOf(':');
        return colon > 0 ? r.substring(0, colon) : r;
    }

    private static String blankTo(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.strip();
    }
}
