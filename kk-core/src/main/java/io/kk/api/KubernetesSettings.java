package io.kk.api;

import io.kk.cluster.install.FileInstall;
import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.cluster.kubernetes.ControlPlaneEndpoint;
import io.kk.cluster.kubernetes.EtcdMode;
import io.kk.cluster.kubernetes.ImageRewrite;
import io.kk.cluster.kubernetes.KubeImages;
import io.kk.cluster.kubernetes.KubeNode;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.kubernetes.KubeadmSettings;
import io.kk.cluster.kubernetes.KubernetesRequest;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.config.Host;
import io.kk.config.KubernetesConfig;
import io.kk.error.KkException;
import io.kk.plan.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cluster config as the kubeadm generators read it ({@link KubeadmSettings}), and the request
 * of the Kubernetes phases. One place maps config fields to generator inputs, so the dry run, the
 * real run and the image check agree.
 */
final class KubernetesSettings {
    /** KubeKey's way to move kubelet's data dir: {@code kubeletArgs: ["--root-dir=/data/kubelet"]}. */
    static final String ROOT_DIR_FLAG = "--root-dir=";

    private KubernetesSettings() {}

    static KubeadmSettings of(ClusterConfig c) {
        KubernetesConfig k = c.kubernetes();
        KubeVersion version = KubeVersion.parse(k.version());
        ContainerRuntime runtime = ContainerRuntime.fromConfig(k.containerManager());
        KubeImages images = KubeImages.of(version, runtime, imageRewrite(c));
        Host init = c.firstControlPlane()
                .orElseThrow(() -> KkException.invalidInput(
                        "no host in roleGroups.control-plane", "name the control planes in roleGroups.control-plane"));
        List<KubeNode> nodes = new ArrayList<>();
        for (Host h : c.hosts()) {
            nodes.add(new KubeNode(
                    h.name(),
                    h.address(),
                    h.internalAddress(),
                    c.hasRole(h, Role.CONTROL_PLANE),
                    c.hasRole(h, Role.WORKER)));
        }
        List<String> kubeletArgs = new ArrayList<>();
        String dataDir = "";
        for (String a : k.kubeletArgs()) {
            if (a.startsWith(ROOT_DIR_FLAG)) {
                dataDir = a.substring(ROOT_DIR_FLAG.length());
            } else {
                kubeletArgs.add(a);
            }
        }
        return KubeadmSettings.builder(k.version())
                .clusterName(k.clusterName())
                .dnsDomain(k.dnsDomain())
                .controlPlaneEndpoint(endpoint(c))
                .nodes(nodes)
                .podCidr(c.network().kubePodsCIDR())
                .serviceCidr(c.network().kubeServiceCIDR())
                .nodeCidrMaskSize(k.nodeCidrMaskSize())
                .images(images)
                .etcd(etcd(c, images, init))
                .apiserverCertExtraSans(k.apiserverCertExtraSans())
                .apiServerArgs(k.apiserverArgs())
                .controllerManagerArgs(k.controllerManagerArgs())
                .schedulerArgs(k.schedulerArgs())
                .kubeletArgs(kubeletArgs)
                .featureGates(new LinkedHashMap<>(k.featureGates()))
                .kubeletConfiguration(k.kubeletConfiguration())
                .kubeProxyConfiguration(k.kubeProxyConfiguration())
                .maxPods(k.maxPods())
                .podPidsLimit(k.podPidsLimit())
                .proxyMode(k.proxyMode())
                .masqueradeAll(k.masqueradeAll())
                .kubeProxy(!k.disableKubeProxy())
                .nodeLocalDns(k.nodelocaldns())
                .containerRuntime(runtime)
                .containerRuntimeEndpoint(k.containerRuntimeEndpoint())
                .kubeletDataDir(dataDir)
                .audit(k.audit())
                .build();
    }

    /** Images as the nodes pull them: through privateRegistry (and namespaceOverride) when set. */
    static ImageRewrite imageRewrite(ClusterConfig c) {
        return new ImageRewrite(c.registry().privateRegistry(), c.registry().namespaceOverride());
    }

    static ControlPlaneEndpoint endpoint(ClusterConfig c) {
        io.kk.config.ControlPlaneEndpoint e = c.controlPlaneEndpoint();
        String lb = e.internalLoadbalancer() == null ? "" : e.internalLoadbalancer();
        // with haproxy the nodes reach the API servers locally; a written address means nothing
        String address = lb.equalsIgnoreCase("haproxy") || e.address().equals("127.0.0.1") ? "" : e.address();
        try {
            return new ControlPlaneEndpoint(e.domain(), address, e.port(), lb);
        } catch (IllegalArgumentException x) {
            throw KkException.invalidInput(x.getMessage(), "see spec.controlPlaneEndpoint in KubeKey's sample config");
        }
    }

    static EtcdMode etcd(ClusterConfig c, KubeImages images, Host init) {
        EtcdConfig e = c.etcd();
        int port = e.port() > 0 ? e.port() : 2379;
        return switch (e.type()) {
            case KUBEADM -> new EtcdMode.KubeadmLocal(images.etcdRepository(), images.etcdTag(), List.of());
            case KUBEKEY -> {
                List<String> addresses =
                        c.etcdHosts().stream().map(Host::internalIPv4).toList();
                if (addresses.isEmpty()) {
                    throw KkException.invalidInput(
                            "etcd type kubekey needs at least one host in roleGroups.etcd",
                            "list the etcd hosts in roleGroups.etcd, or set etcd.type to kubeadm or external");
                }
                yield EtcdMode.kubekey(addresses, port, init.name());
            }
            case EXTERNAL -> {
                EtcdConfig.External x = e.external();
                if (x == null || x.endpoints().isEmpty()) {
                    throw KkException.invalidInput(
                            "etcd type external needs etcd.external.endpoints", "list the external etcd's client URLs");
                }
                yield EtcdMode.userProvided(x.endpoints(), x.caFile(), x.certFile(), x.keyFile());
            }
        };
    }

    /** The control machine's copy of the admin kubeconfig: KubeKey's {@code <workdir>/config-<cluster>}. */
    static Path kubeconfigPath(ClusterConfig c, Path workDir) {
        return workDir.resolve("config-" + c.name());
    }

    /** An API server URL the control machine reaches: the LB/VIP address, else the first control plane's. */
    static String kubeconfigServer(ClusterConfig c, ControlPlaneEndpoint ep) {
        String host = !ep.address().isEmpty()
                ? ep.address()
                : c.firstControlPlane().map(Host::address).orElse(ep.domain());
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ep.port();
    }

    static KubernetesRequest request(ClusterConfig c, Path workDir, Map<String, List<FileInstall.Plan>> binaries) {
        KubeadmSettings s = of(c);
        return new KubernetesRequest(
                s,
                c.firstControlPlane().orElseThrow().name(),
                binaries,
                kubeconfigPath(c, workDir),
                kubeconfigServer(c, s.controlPlaneEndpoint()));
    }
}
