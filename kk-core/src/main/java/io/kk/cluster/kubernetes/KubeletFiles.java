package io.kk.cluster.kubernetes;

import java.util.ArrayList;
import java.util.List;

/**
 * kubelet's systemd unit and the kubeadm drop-in, per node. kubeadm writes the rest at init/join
 * time ({@code /var/lib/kubelet/config.yaml} and {@code kubeadm-flags.env}), which this drop-in
 * reads; kk adds the node's identity, the kubelet data dir and the user's kubeletArgs.
 */
public final class KubeletFiles {
    public static final String UNIT_PATH = "/etc/systemd/system/kubelet.service";
    public static final String DROP_IN_PATH = "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf";
    public static final String BINARY = "/usr/local/bin/kubelet";

    private KubeletFiles() {}

    public static String unit() {
        return """
                [Unit]
                Description=kubelet: The Kubernetes Node Agent
                Documentation=https://kubernetes.io/docs/
                Wants=network-online.target
                After=network-online.target

                [Service]
                CPUAccounting=true
                MemoryAccounting=true
                ExecStart=%s
                Restart=always
                StartLimitInterval=0
                RestartSec=10

                [Install]
                WantedBy=multi-user.target
                """
                .formatted(BINARY);
    }

    /** The drop-in for {@code nodeName}. */
    public static String dropIn(KubeadmSettings s, String nodeName) {
        KubeNode node = s.node(nodeName);
        return """
                # kubeadm drop-in for kubelet, written by kk
                [Service]
                Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
                Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
                # written by kubeadm init/join: KUBELET_KUBEADM_ARGS
                EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
                # last-resort local overrides: KUBELET_EXTRA_ARGS
                EnvironmentFile=-/etc/default/kubelet
                Environment="KUBELET_EXTRA_ARGS=%s"
                ExecStart=
                ExecStart=%s $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
                """
                .formatted(String.join(" ", extraArgs(s, node)), BINARY);
    }

    static List<String> extraArgs(KubeadmSettings s, KubeNode node) {
        List<String> args = new ArrayList<>();
        args.add("--node-ip=" + node.internalAddress());
        args.add("--hostname-override=" + node.name());
        if (!s.kubeletDataDir().isEmpty()) {
            args.add("--root-dir=" + s.kubeletDataDir());
        }
        String socket = s.criSocket();
        if (!socket.isEmpty() && s.version().below(27)) {
            // From 1.27 the endpoint lives in the KubeletConfiguration (the flag is deprecated).
            args.add("--container-runtime-endpoint=" + socket);
        }
        args.addAll(s.kubeletArgs());
        return args;
    }
}
