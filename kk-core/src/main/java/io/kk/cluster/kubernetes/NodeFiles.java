package io.kk.cluster.kubernetes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which generated file goes where on which node, in the order kk writes them, as path -> content.
 * The kubeadm files themselves ({@link KubeadmConfigs#init}, {@link KubeadmConfigs#join}) come at
 * their own steps, since the join file needs credentials minted after init.
 */
public final class NodeFiles {
    private NodeFiles() {}

    /**
     * Written in the binaries phase, before any kubeadm run: the kubelet unit and drop-in on every
     * Kubernetes node; on control planes the audit files (when auditing is on) and the kube-vip
     * static pod (kube-vip must hold the VIP before {@code kubeadm init} can reach the endpoint).
     *
     * @param vipInterface the node's interface for the VIP; ignored unless kube-vip is chosen
     */
    public static Map<String, String> beforeKubeadm(
            KubeadmSettings s, String nodeName, String initNode, String vipInterface) {
        KubeNode node = s.node(nodeName);
        Map<String, String> files = new LinkedHashMap<>();
        files.put(KubeletFiles.UNIT_PATH, KubeletFiles.unit());
        files.put(KubeletFiles.DROP_IN_PATH, KubeletFiles.dropIn(s, nodeName));
        if (node.controlPlane()) {
            if (s.audit()) {
                files.put(AuditFiles.POLICY_PATH, AuditFiles.policy());
                files.put(AuditFiles.WEBHOOK_PATH, AuditFiles.webhook(AuditFiles.KUBESPHERE_WEBHOOK));
            }
            if (s.controlPlaneEndpoint().kubeVip()) {
                files.put(
                        LoadBalancerFiles.KUBE_VIP_MANIFEST_PATH,
                        LoadBalancerFiles.kubeVipManifest(s, vipInterface, nodeName.equals(initNode)));
            }
        }
        return Collections.unmodifiableMap(files);
    }

    /**
     * Written after the node joined: haproxy's config and static pod on a worker that is not a
     * control plane, when the internal load balancer is haproxy; empty otherwise. Follow with
     * {@link LoadBalancerFiles#haproxyWorkerCommands}.
     */
    public static Map<String, String> internalLoadBalancer(KubeadmSettings s, String nodeName) {
        KubeNode node = s.node(nodeName);
        if (!s.controlPlaneEndpoint().haproxy() || node.controlPlane() || !node.worker()) {
            return Map.of();
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(LoadBalancerFiles.HAPROXY_CONFIG_PATH, LoadBalancerFiles.haproxyConfig(s));
        files.put(LoadBalancerFiles.HAPROXY_MANIFEST_PATH, LoadBalancerFiles.haproxyManifest(s));
        return Collections.unmodifiableMap(files);
    }
}
