package io.kk.cluster.kubernetes;

import io.kk.cluster.install.FileInstall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the Kubernetes phases (init, join) work from.
 *
 * @param settings the generators' input, from the Cluster config
 * @param initNode the first control plane: runs {@code kubeadm init} and mints join credentials
 * @param binaries per arch, kubeadm, kubelet, kubectl and helm to place in /usr/local/bin
 * @param kubeconfig where the control machine keeps the cluster's admin kubeconfig
 * @param kubeconfigServer the API server URL written into that copy (reachable from the control
 *     machine, unlike the endpoint domain, which only the nodes' /etc/hosts maps)
 */
public record KubernetesRequest(
        KubeadmSettings settings,
        String initNode,
        Map<String, List<FileInstall.Plan>> binaries,
        Path kubeconfig,
        String kubeconfigServer) {
    public KubernetesRequest {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(initNode, "initNode");
        binaries = Map.copyOf(binaries);
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(kubeconfigServer, "kubeconfigServer");
        if (!settings.node(initNode).controlPlane()) {
            throw new IllegalArgumentException(initNode + " is not a control plane");
        }
    }
}
