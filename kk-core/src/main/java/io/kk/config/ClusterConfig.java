package io.kk.config;

import io.kk.plan.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A KubeKey Cluster config ({@code apiVersion: kubekey.kubesphere.io/v1alpha2}, {@code kind:
 * Cluster}) with KubeKey's defaults applied. Immutable; build it with {@link ClusterConfigs} or
 * load it with {@code io.kk.api.Configs}.
 *
 * @param name metadata.name
 */
public record ClusterConfig(
        String name,
        List<Host> hosts,
        RoleGroups roleGroups,
        ControlPlaneEndpoint controlPlaneEndpoint,
        SystemConfig system,
        EtcdConfig etcd,
        DnsConfig dns,
        KubernetesConfig kubernetes,
        NetworkConfig network,
        StorageConfig storage,
        RegistryConfig registry,
        List<Addon> addons,
        KubeSphereConfig kubesphere) {

    public static final String API_VERSION = "kubekey.kubesphere.io/v1alpha2";

    /** This cluster at another Kubernetes version (an upgrade's target). */
    public ClusterConfig withKubernetesVersion(String version) {
        return with(kubernetes.withVersion(version), storage, kubesphere);
    }

    /** This cluster with another {@code spec.storage}. */
    public ClusterConfig withStorage(StorageConfig storage) {
        return with(kubernetes, storage, kubesphere);
    }

    /** This cluster with another KubeSphere installer configuration. */
    public ClusterConfig withKubeSphere(KubeSphereConfig kubesphere) {
        return with(kubernetes, storage, kubesphere);
    }

    /** The one copy of every other field, for the withers above. */
    private ClusterConfig with(KubernetesConfig kubernetes, StorageConfig storage, KubeSphereConfig kubesphere) {
        return new ClusterConfig(
                name,
                hosts,
                roleGroups,
                controlPlaneEndpoint,
                system,
                etcd,
                dns,
                kubernetes,
                network,
                storage,
                registry,
                addons,
                kubesphere);
    }

    public static final String KIND = "Cluster";

    public ClusterConfig {
        hosts = List.copyOf(hosts);
        addons = List.copyOf(addons);
    }

    public Optional<Host> host(String hostName) {
        return hosts.stream().filter(h -> h.name().equals(hostName)).findFirst();
    }

    /** The hosts of a role, in roleGroups order; names without a host are left out. */
    public List<Host> hostsWith(Role role) {
        List<Host> out = new ArrayList<>();
        for (String n : roleGroups.names(role)) {
            host(n).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    public List<Host> etcdHosts() {
        return hostsWith(Role.ETCD);
    }

    public List<Host> controlPlaneHosts() {
        return hostsWith(Role.CONTROL_PLANE);
    }

    public List<Host> workerHosts() {
        return hostsWith(Role.WORKER);
    }

    public Optional<Host> registryHost() {
        return hostsWith(Role.REGISTRY).stream().findFirst();
    }

    /** KubeKey's hidden role {@code k8s}: control planes then workers, each host once. */
    public List<Host> k8sHosts() {
        Set<Host> out = new LinkedHashSet<>(controlPlaneHosts());
        out.addAll(workerHosts());
        return List.copyOf(out);
    }

    public Optional<Host> firstControlPlane() {
        return controlPlaneHosts().stream().findFirst();
    }

    public boolean hasRole(Host host, Role role) {
        return roleGroups.names(role).contains(host.name());
    }

    /**
     * The address the endpoint domain resolves to, as KubeKey decides it: the written address, or
     * the first control plane's internal IPv4 when it is empty (and externalDNS is off) or
     * 127.0.0.1. Empty with externalDNS and no address.
     */
    public String endpointAddress() {
        ControlPlaneEndpoint ep = controlPlaneEndpoint;
        boolean useFirst =
                (ep.address().isEmpty() && !ep.externalDNS()) || ep.address().equals("127.0.0.1");
        if (useFirst) {
            return firstControlPlane().map(Host::internalIPv4).orElse("");
        }
        return ep.address();
    }

    /** {@code domain:port}, what kubeadm and kubeconfigs use. */
    public String apiServerEndpoint() {
        return controlPlaneEndpoint.domain() + ":" + controlPlaneEndpoint.port();
    }
}
