package io.kk.cluster.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Clusters the golden and structure tests generate files for. */
final class Scenarios {
    static final String TOKEN = "abcdef.0123456789abcdef";
    static final String CERT_KEY = "f".repeat(8) + "0123456789abcdef0123456789abcdef0123456789abcdef01234567";
    static final String CA_HASH = "sha256:" + "a1".repeat(32);

    private Scenarios() {}

    /** A named cluster, its init node, the nodes that join, and the VIP interface for kube-vip. */
    record Scenario(String name, KubeadmSettings settings, String initNode, boolean caHashes) {}

    static List<KubeNode> single() {
        return List.of(
                new KubeNode("node1", "192.168.0.11", "10.0.0.11", true, true),
                new KubeNode("node2", "192.168.0.12", "10.0.0.12", false, true));
    }

    static List<KubeNode> ha() {
        return List.of(
                new KubeNode("master1", "10.0.0.11", "10.0.0.11", true, false),
                new KubeNode("master2", "10.0.0.12", "10.0.0.12", true, false),
                new KubeNode("master3", "10.0.0.13", "10.0.0.13", true, false),
                new KubeNode("worker1", "10.0.0.21", "10.0.0.21", false, true),
                new KubeNode("worker2", "10.0.0.22", "10.0.0.22", false, true));
    }

    static EtcdMode kubekeyEtcd(List<KubeNode> nodes) {
        List<String> etcd = nodes.stream()
                .filter(KubeNode::controlPlane)
                .map(KubeNode::internalAddress)
                .toList();
        return EtcdMode.kubekey(etcd, 2379, nodes.get(0).name());
    }

    static EtcdMode kubeadmEtcd(KubeImages images) {
        return new EtcdMode.KubeadmLocal(images.etcdRepository(), images.etcdTag(), List.of());
    }

    static EtcdMode userEtcd() {
        return EtcdMode.userProvided(
                List.of("https://10.0.1.5:2379", "https://10.0.1.6:2379"),
                "/home/ops/pki/etcd-ca.crt",
                "/home/ops/pki/etcd-client.crt",
                "/home/ops/pki/etcd-client.key");
    }

    static ControlPlaneEndpoint haproxy() {
        return new ControlPlaneEndpoint("lb.kubesphere.local", "", 6443, "haproxy");
    }

    static ControlPlaneEndpoint kubeVip() {
        return new ControlPlaneEndpoint("lb.kubesphere.local", "10.0.0.100", 6443, "kube-vip");
    }

    static ControlPlaneEndpoint externalLb() {
        return new ControlPlaneEndpoint("lb.example.com", "10.0.0.200", 6443, "");
    }

    static KubeadmSettings.Builder base(String version, ContainerRuntime rt, ImageRewrite rw) {
        KubeVersion v = KubeVersion.parse(version);
        return KubeadmSettings.builder(version).containerRuntime(rt).images(KubeImages.of(v, rt, rw));
    }

    static List<Scenario> all() {
        List<Scenario> out = new ArrayList<>();
        ImageRewrite none = ImageRewrite.none();
        ImageRewrite registry = new ImageRewrite("dockerhub.kubekey.local", "kubesphereio");
        ImageRewrite harbor = new ImageRewrite("harbor.example.com:8443/library", "");

        // v1beta2 --------------------------------------------------------------------------
        KubeadmSettings.Builder b =
                base("v1.21.14", ContainerRuntime.CONTAINERD, none).nodes(single());
        out.add(new Scenario(
                "v1.21-containerd-kubekey-single", b.etcd(kubekeyEtcd(single())).build(), "node1", false));

        KubeImages img = KubeImages.of(KubeVersion.parse("v1.21.14"), ContainerRuntime.DOCKER, registry);
        b = KubeadmSettings.builder("v1.21.14")
                .containerRuntime(ContainerRuntime.DOCKER)
                .images(img)
                .nodes(ha())
                .controlPlaneEndpoint(haproxy())
                .etcd(kubeadmEtcd(img));
        out.add(new Scenario("v1.21-docker-kubeadm-haproxy", b.build(), "master1", false));

        // v1beta3 --------------------------------------------------------------------------
        b = base("v1.26.15", ContainerRuntime.CONTAINERD, registry)
                .nodes(ha())
                .controlPlaneEndpoint(haproxy())
                .etcd(kubekeyEtcd(ha()));
        out.add(new Scenario("v1.26-containerd-kubekey-haproxy", b.build(), "master1", false));

        b = base("v1.26.15", ContainerRuntime.DOCKER, none)
                .nodes(ha())
                .controlPlaneEndpoint(externalLb())
                .etcd(userEtcd())
                .proxyMode("iptables")
                .masqueradeAll(true)
                .nodeLocalDns(false);
        out.add(new Scenario("v1.26-cridockerd-external-externallb", b.build(), "master1", true));

        img = KubeImages.of(KubeVersion.parse("v1.26.15"), ContainerRuntime.CONTAINERD, none);
        b = KubeadmSettings.builder("v1.26.15")
                .images(img)
                .nodes(ha())
                .controlPlaneEndpoint(kubeVip())
                .etcd(kubeadmEtcd(img));
        out.add(new Scenario("v1.26-containerd-kubeadm-kubevip", b.build(), "master1", false));

        // v1beta4 --------------------------------------------------------------------------
        Map<String, Object> kubeletOverrides = new LinkedHashMap<>();
        kubeletOverrides.put("maxPods", 200);
        kubeletOverrides.put("serializeImagePulls", false);
        kubeletOverrides.put("evictionHard", Map.of("memory.available", "300Mi"));
        b = base("v1.31.4", ContainerRuntime.CONTAINERD, harbor)
                .nodes(ha())
                .controlPlaneEndpoint(kubeVip())
                .etcd(kubekeyEtcd(ha()))
                .clusterName("prod")
                .dnsDomain("prod.local")
                .podCidr("10.244.0.0/16")
                .serviceCidr("10.96.0.0/12")
                .nodeCidrMaskSize(25)
                .apiserverCertExtraSans(List.of("api.prod.example.com"))
                .apiServerArgs(List.of("service-node-port-range=30000-32767", "audit-log-maxbackup=10"))
                .controllerManagerArgs(List.of("terminated-pod-gc-threshold=50"))
                .schedulerArgs(List.of("v=2"))
                .kubeletArgs(List.of("--v=2"))
                .featureGates(Map.of("InPlacePodVerticalScaling", true))
                .kubeletConfiguration(kubeletOverrides)
                .kubeProxyConfiguration(Map.of("ipvs", Map.of("strictARP", true)))
                .kubeletDataDir("/data/kubelet")
                .audit(true);
        out.add(new Scenario("v1.31-containerd-kubekey-kubevip-custom", b.build(), "master1", true));

        img = KubeImages.of(KubeVersion.parse("v1.31.4"), ContainerRuntime.DOCKER, registry);
        b = KubeadmSettings.builder("v1.31.4")
                .containerRuntime(ContainerRuntime.DOCKER)
                .images(img)
                .nodes(ha())
                .controlPlaneEndpoint(haproxy())
                .etcd(kubeadmEtcd(img));
        out.add(new Scenario("v1.31-cridockerd-kubeadm-haproxy", b.build(), "master1", false));

        b = base("v1.31.4", ContainerRuntime.CONTAINERD, none)
                .nodes(single())
                .etcd(userEtcd())
                .kubeProxy(false);
        out.add(new Scenario("v1.31-containerd-external-single-nokubeproxy", b.build(), "node1", false));
        return out;
    }

    /** Every file kk generates for the scenario, by a stable name, plus the command plan. */
    static Map<String, String> files(Scenario sc) {
        KubeadmSettings s = sc.settings();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("kubeadm-config.init.yaml", KubeadmConfigs.init(s, sc.initNode()));
        List<String> hashes = sc.caHashes() ? List.of(CA_HASH) : List.of();
        for (KubeNode n : s.nodes()) {
            if (n.name().equals(sc.initNode())) {
                continue;
            }
            JoinCredentials c = new JoinCredentials(TOKEN, n.controlPlane() ? CERT_KEY : "", hashes);
            files.put("kubeadm-config.join." + n.name() + ".yaml", KubeadmConfigs.join(s, n.name(), c));
        }
        files.put("kubelet.service", KubeletFiles.unit());
        for (KubeNode n : s.nodes()) {
            files.put("10-kubeadm.conf." + n.name(), KubeletFiles.dropIn(s, n.name()));
        }
        if (s.controlPlaneEndpoint().haproxy()) {
            files.put("haproxy.cfg", LoadBalancerFiles.haproxyConfig(s));
            files.put("haproxy.yaml", LoadBalancerFiles.haproxyManifest(s));
        }
        if (s.controlPlaneEndpoint().kubeVip()) {
            for (KubeNode n : s.controlPlanes()) {
                files.put(
                        "kube-vip.yaml." + n.name(),
                        LoadBalancerFiles.kubeVipManifest(s, "eth0", n.name().equals(sc.initNode())));
            }
        }
        if (s.audit()) {
            files.put("audit-policy.yaml", AuditFiles.policy());
            files.put("audit-webhook.yaml", AuditFiles.webhook(AuditFiles.KUBESPHERE_WEBHOOK));
        }
        files.put("commands.txt", commands(sc));
        return files;
    }

    /** The command plan, per host, in order (what a dry run would list for this module). */
    static String commands(Scenario sc) {
        KubeadmSettings s = sc.settings();
        StringBuilder b = new StringBuilder();
        KubeNode init = s.node(sc.initNode());
        for (KubeNode n : s.nodes()) {
            line(b, n.name(), KubeadmCommands.enableKubelet());
        }
        line(b, init.name(), KubeadmCommands.init(s, false));
        if (s.controlPlaneEndpoint().kubeVip() && s.version().atLeast(29)) {
            line(b, init.name(), LoadBalancerFiles.kubeVipAfterInit());
        }
        line(b, init.name(), KubeadmCommands.copyKubeconfig());
        if (init.worker()) {
            KubeadmCommands.untaint(s.version(), init.name()).forEach(c -> line(b, init.name(), c));
            line(b, init.name(), KubeadmCommands.labelWorker(init.name()));
        }
        line(b, init.name(), KubeadmCommands.uploadCerts());
        line(b, init.name(), KubeadmCommands.tokenCreate());
        if (sc.caHashes()) {
            line(b, init.name(), KubeadmCommands.caCertHash());
        }
        for (KubeNode n : s.nodes()) {
            if (n == init) {
                continue;
            }
            line(b, n.name(), KubeadmCommands.join());
            if (n.controlPlane()) {
                line(b, n.name(), KubeadmCommands.copyKubeconfig());
                if (n.worker()) {
                    KubeadmCommands.untaint(s.version(), n.name()).forEach(c -> line(b, init.name(), c));
                }
            }
            if (n.worker()) {
                line(b, init.name(), KubeadmCommands.labelWorker(n.name()));
            }
        }
        if (s.controlPlaneEndpoint().haproxy()) {
            for (KubeNode n : s.nodes()) {
                if (n.worker() && !n.controlPlane()) {
                    LoadBalancerFiles.haproxyWorkerCommands(s).forEach(c -> line(b, n.name(), c));
                }
            }
            LoadBalancerFiles.haproxyKubeProxyCommands(s).forEach(c -> line(b, init.name(), c));
        }
        line(b, init.name(), "(on failure) " + KubeadmCommands.reset(s));
        return b.toString();
    }

    private static void line(StringBuilder b, String host, String command) {
        b.append('[').append(host).append("] ").append(command).append('\n');
    }
}
