package io.kk.cluster.kubernetes;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the kubeadm, kubelet and load-balancer files depend on, named after the KubeKey
 * Cluster config fields they come from ({@code spec.kubernetes.*}, {@code spec.network.*}, {@code
 * spec.controlPlaneEndpoint}, {@code spec.etcd}). Immutable; build one with {@link #builder}, whose
 * defaults are KubeKey's.
 *
 * @param version {@code kubernetes.version}
 * @param clusterName {@code kubernetes.clusterName} (KubeKey default {@code cluster.local})
 * @param dnsDomain {@code kubernetes.dnsDomain}
 * @param controlPlaneEndpoint {@code controlPlaneEndpoint}
 * @param nodes every host of the config, in config order (certificate SANs, load balancer)
 * @param podCidr {@code network.kubePodsCIDR}
 * @param serviceCidr {@code network.kubeServiceCIDR}
 * @param nodeCidrMaskSize {@code kubernetes.nodeCidrMaskSize}
 * @param images image names, already rewritten for the private registry
 * @param etcd {@code etcd.type} and its endpoints/certificates
 * @param apiserverCertExtraSans {@code kubernetes.apiserverCertExtraSans}
 * @param apiServerArgs {@code kubernetes.apiserverArgs}, {@code key=value} each
 * @param controllerManagerArgs {@code kubernetes.controllerManagerArgs}
 * @param schedulerArgs {@code kubernetes.schedulerArgs}
 * @param kubeletArgs {@code kubernetes.kubeletArgs}, full flags such as {@code --v=2}
 * @param featureGates {@code kubernetes.featureGates}, in the user's order
 * @param kubeletConfiguration {@code kubernetes.kubeletConfiguration}: keys replace kk's defaults
 * @param kubeProxyConfiguration {@code kubernetes.kubeProxyConfiguration}: keys replace kk's
 * @param maxPods {@code kubernetes.maxPods}
 * @param podPidsLimit {@code kubernetes.podPidsLimit}
 * @param proxyMode {@code kubernetes.proxyMode}: ipvs or iptables
 * @param masqueradeAll {@code kubernetes.masqueradeAll}
 * @param kubeProxy false with {@code kubernetes.disableKubeProxy}
 * @param nodeLocalDns {@code kubernetes.nodelocaldns}: kubelet then resolves via 169.254.25.10
 * @param containerRuntime {@code kubernetes.containerManager}
 * @param containerRuntimeEndpoint {@code kubernetes.containerRuntimeEndpoint}: replaces the
 *     runtime's usual CRI socket; "" for the usual one
 * @param kubeletDataDir kubelet's {@code --root-dir}; "" for kubelet's default /var/lib/kubelet
 * @param audit {@code kubernetes.auditing}: API server audit log/webhook flags and volume
 * @param apiServerBindPort the port each API server listens on (6443)
 */
public record KubeadmSettings(
        KubeVersion version,
        String clusterName,
        String dnsDomain,
        ControlPlaneEndpoint controlPlaneEndpoint,
        List<KubeNode> nodes,
        String podCidr,
        String serviceCidr,
        int nodeCidrMaskSize,
        KubeImages images,
        EtcdMode etcd,
        List<String> apiserverCertExtraSans,
        List<String> apiServerArgs,
        List<String> controllerManagerArgs,
        List<String> schedulerArgs,
        List<String> kubeletArgs,
        Map<String, Boolean> featureGates,
        Map<String, Object> kubeletConfiguration,
        Map<String, Object> kubeProxyConfiguration,
        int maxPods,
        int podPidsLimit,
        String proxyMode,
        boolean masqueradeAll,
        boolean kubeProxy,
        boolean nodeLocalDns,
        ContainerRuntime containerRuntime,
        String containerRuntimeEndpoint,
        String kubeletDataDir,
        boolean audit,
        int apiServerBindPort) {

    /** kubelet's resolver when nodelocaldns runs (KubeKey's link-local address). */
    public static final String NODE_LOCAL_DNS_IP = "169.254.25.10";

    public KubeadmSettings {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(dnsDomain, "dnsDomain");
        Objects.requireNonNull(controlPlaneEndpoint, "controlPlaneEndpoint");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(etcd, "etcd");
        apiserverCertExtraSans = List.copyOf(apiserverCertExtraSans);
        apiServerArgs = List.copyOf(apiServerArgs);
        controllerManagerArgs = List.copyOf(controllerManagerArgs);
        schedulerArgs = List.copyOf(schedulerArgs);
        kubeletArgs = List.copyOf(kubeletArgs);
        featureGates = Collections.unmodifiableMap(new LinkedHashMap<>(featureGates));
        kubeletConfiguration = Collections.unmodifiableMap(new LinkedHashMap<>(kubeletConfiguration));
        kubeProxyConfiguration = Collections.unmodifiableMap(new LinkedHashMap<>(kubeProxyConfiguration));
        Objects.requireNonNull(proxyMode, "proxyMode");
        Objects.requireNonNull(containerRuntime, "containerRuntime");
        containerRuntimeEndpoint = containerRuntimeEndpoint == null ? "" : containerRuntimeEndpoint.trim();
        kubeletDataDir = kubeletDataDir == null ? "" : kubeletDataDir;
    }

    public static Builder builder(String version) {
        return new Builder(KubeVersion.parse(version));
    }

    public Builder toBuilder() {
        Builder b = new Builder(version);
        b.clusterName = clusterName;
        b.dnsDomain = dnsDomain;
        b.controlPlaneEndpoint = controlPlaneEndpoint;
        b.nodes = nodes;
        b.podCidr = podCidr;
        b.serviceCidr = serviceCidr;
        b.nodeCidrMaskSize = nodeCidrMaskSize;
        b.images = images;
        b.etcd = etcd;
        b.apiserverCertExtraSans = apiserverCertExtraSans;
        b.apiServerArgs = apiServerArgs;
        b.controllerManagerArgs = controllerManagerArgs;
        b.schedulerArgs = schedulerArgs;
        b.kubeletArgs = kubeletArgs;
        b.featureGates = featureGates;
        b.kubeletConfiguration = kubeletConfiguration;
        b.kubeProxyConfiguration = kubeProxyConfiguration;
        b.maxPods = maxPods;
        b.podPidsLimit = podPidsLimit;
        b.proxyMode = proxyMode;
        b.masqueradeAll = masqueradeAll;
        b.kubeProxy = kubeProxy;
        b.nodeLocalDns = nodeLocalDns;
        b.containerRuntime = containerRuntime;
        b.containerRuntimeEndpoint = containerRuntimeEndpoint;
        b.kubeletDataDir = kubeletDataDir;
        b.audit = audit;
        b.apiServerBindPort = apiServerBindPort;
        return b;
    }

    public KubeadmApi kubeadmApi() {
        return KubeadmApi.forVersion(version);
    }

    /** The CRI endpoint kubeadm and kubelet use; "" only for docker through dockershim. */
    public String criSocket() {
        return containerRuntimeEndpoint.isEmpty() ? containerRuntime.criSocket(version) : containerRuntimeEndpoint;
    }

    public List<KubeNode> controlPlanes() {
        return nodes.stream().filter(KubeNode::controlPlane).toList();
    }

    public KubeNode node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host named " + name));
    }

    /** The first IPv4 (or IPv6) service CIDR; KubeKey reads dual-stack CIDRs as "v4,v6". */
    private String firstServiceCidr() {
        return serviceCidr.split(",")[0].trim();
    }

    /** The {@code n}-th address of the service CIDR, 1-based: 1 is the kubernetes Service. */
    public String serviceIp(int n) {
        String cidr = firstServiceCidr();
        int slash = cidr.indexOf('/');
        try {
            byte[] base = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            BigInteger ip = new BigInteger(1, base).add(BigInteger.valueOf(n));
            byte[] raw = ip.toByteArray();
            byte[] out = new byte[base.length];
            int copy = Math.min(raw.length, out.length);
            System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
    }

    /** CoreDNS's Service address: the 3rd address of the service CIDR, as KubeKey picks it. */
    public String corednsServiceIp() {
        return serviceIp(3);
    }

    /** What kubelet gives pods as nameserver: nodelocaldns's address, or CoreDNS's Service. */
    public String clusterDns() {
        return nodeLocalDns ? NODE_LOCAL_DNS_IP : corednsServiceIp();
    }

    /** The API server certificate's SANs, in KubeKey's order, without duplicates. */
    public List<String> certSans() {
        LinkedHashSet<String> sans = new LinkedHashSet<>(List.of(
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc." + dnsDomain,
                "localhost",
                "127.0.0.1"));
        String lbAddress = controlPlaneEndpoint.address();
        sans.add(controlPlaneEndpoint.domain());
        if (!lbAddress.isEmpty()) {
            sans.add(lbAddress);
        }
        for (KubeNode n : nodes) {
            sans.add(n.name());
            sans.add(n.name() + "." + dnsDomain);
            if (!n.address().equals(lbAddress)) {
                sans.add(n.address());
            }
            for (String internal : n.internalAddress().split(",")) {
                String ip = internal.trim();
                if (!ip.equals(n.address()) && !ip.equals(lbAddress)) {
                    sans.add(ip);
                }
            }
        }
        sans.add(serviceIp(1));
        sans.addAll(apiserverCertExtraSans);
        return List.copyOf(sans);
    }

    /** True when the pod network is dual-stack ("ipv4CIDR,ipv6CIDR"). */
    public boolean dualStack() {
        return podCidr.contains(",");
    }

    /** A mutable builder with KubeKey's defaults. */
    public static final class Builder {
        private final KubeVersion version;
        private String clusterName = "cluster.local";
        private String dnsDomain = "cluster.local";
        private ControlPlaneEndpoint controlPlaneEndpoint =
                new ControlPlaneEndpoint("lb.kubesphere.local", "", 6443, "");
        private List<KubeNode> nodes = List.of();
        private String podCidr = "10.233.64.0/18";
        private String serviceCidr = "10.233.0.0/18";
        private int nodeCidrMaskSize = 24;
        private KubeImages images;
        private EtcdMode etcd;
        private List<String> apiserverCertExtraSans = List.of();
        private List<String> apiServerArgs = List.of();
        private List<String> controllerManagerArgs = List.of();
        private List<String> schedulerArgs = List.of();
        private List<String> kubeletArgs = List.of();
        private Map<String, Boolean> featureGates = Map.of();
        private Map<String, Object> kubeletConfiguration = Map.of();
        private Map<String, Object> kubeProxyConfiguration = Map.of();
        private int maxPods = 110;
        private int podPidsLimit = 10000;
        private String proxyMode = "ipvs";
        private boolean masqueradeAll;
        private boolean kubeProxy = true;
        private boolean nodeLocalDns = true;
        private ContainerRuntime containerRuntime = ContainerRuntime.CONTAINERD;
        private String containerRuntimeEndpoint = "";
        private String kubeletDataDir = "";
        private boolean audit;
        private int apiServerBindPort = 6443;

        private Builder(KubeVersion version) {
            this.version = version;
        }

        public Builder clusterName(String v) {
            clusterName = v;
            return this;
        }

        public Builder dnsDomain(String v) {
            dnsDomain = v;
            return this;
        }

        public Builder controlPlaneEndpoint(ControlPlaneEndpoint v) {
            controlPlaneEndpoint = v;
            return this;
        }

        public Builder nodes(List<KubeNode> v) {
            nodes = new ArrayList<>(v);
            return this;
        }

        public Builder podCidr(String v) {
            podCidr = v;
            return this;
        }

        public Builder serviceCidr(String v) {
            serviceCidr = v;
            return this;
        }

        public Builder nodeCidrMaskSize(int v) {
            nodeCidrMaskSize = v;
            return this;
        }

        public Builder images(KubeImages v) {
            images = v;
            return this;
        }

        public Builder etcd(EtcdMode v) {
            etcd = v;
            return this;
        }

        public Builder apiserverCertExtraSans(List<String> v) {
            apiserverCertExtraSans = v;
            return this;
        }

        public Builder apiServerArgs(List<String> v) {
            apiServerArgs = v;
            return this;
        }

        public Builder controllerManagerArgs(List<String> v) {
            controllerManagerArgs = v;
            return this;
        }

        public Builder schedulerArgs(List<String> v) {
            schedulerArgs = v;
            return this;
        }

        public Builder kubeletArgs(List<String> v) {
            kubeletArgs = v;
            return this;
        }

        public Builder featureGates(Map<String, Boolean> v) {
            featureGates = v;
            return this;
        }

        public Builder kubeletConfiguration(Map<String, Object> v) {
            kubeletConfiguration = v;
            return this;
        }

        public Builder kubeProxyConfiguration(Map<String, Object> v) {
            kubeProxyConfiguration = v;
            return this;
        }

        public Builder maxPods(int v) {
            maxPods = v;
            return this;
        }

        public Builder podPidsLimit(int v) {
            podPidsLimit = v;
            return this;
        }

        public Builder proxyMode(String v) {
            proxyMode = v;
            return this;
        }

        public Builder masqueradeAll(boolean v) {
            masqueradeAll = v;
            return this;
        }

        public Builder kubeProxy(boolean v) {
            kubeProxy = v;
            return this;
        }

        public Builder nodeLocalDns(boolean v) {
            nodeLocalDns = v;
            return this;
        }

        public Builder containerRuntime(ContainerRuntime v) {
            containerRuntime = v;
            return this;
        }

        public Builder containerRuntimeEndpoint(String v) {
            containerRuntimeEndpoint = v;
            return this;
        }

        public Builder kubeletDataDir(String v) {
            kubeletDataDir = v;
            return this;
        }

        public Builder audit(boolean v) {
            audit = v;
            return this;
        }

        public Builder apiServerBindPort(int v) {
            apiServerBindPort = v;
            return this;
        }

        /**
         * Builds the settings. Without explicit images, KubeKey's image table for this version and
         * runtime is used, named for Docker Hub.
         */
        public KubeadmSettings build() {
            KubeImages img = images != null ? images : KubeImages.of(version, containerRuntime, ImageRewrite.none());
            Objects.requireNonNull(etcd, "etcd");
            return new KubeadmSettings(
                    version,
                    clusterName,
                    dnsDomain,
                    controlPlaneEndpoint,
                    nodes,
                    podCidr,
                    serviceCidr,
                    nodeCidrMaskSize,
                    img,
                    etcd,
                    apiserverCertExtraSans,
                    apiServerArgs,
                    controllerManagerArgs,
                    schedulerArgs,
                    kubeletArgs,
                    featureGates,
                    kubeletConfiguration,
                    kubeProxyConfiguration,
                    maxPods,
                    podPidsLimit,
                    proxyMode,
                    masqueradeAll,
                    kubeProxy,
                    nodeLocalDns,
                    containerRuntime,
                    containerRuntimeEndpoint,
                    kubeletDataDir,
                    audit,
                    apiServerBindPort);
        }
    }
}
