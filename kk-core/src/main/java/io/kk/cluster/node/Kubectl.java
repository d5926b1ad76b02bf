package io.kk.cluster.node;

import io.kk.plan.Shell;
import java.time.Duration;

/**
 * The kubectl command lines kk runs on a control plane about one node, as KubeKey spells them
 * (binary in /usr/local/bin, the admin kubeconfig).
 */
public final class Kubectl {
    public static final String KUBECTL = "/usr/local/bin/kubectl";
    public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    public static final String KUBELET = "/usr/local/bin/kubelet";
    /** The annotation kubeadm keeps the node's CRI endpoint in (read by kubeadm upgrade and join). */
    public static final String CRI_SOCKET_ANNOTATION = "kubeadm.alpha.kubernetes.io/cri-socket";

    private static final String K = KUBECTL + " --kubeconfig " + ADMIN_CONF;

    private Kubectl() {}

    /** Exit 0 when the node runs kubelet (a Kubernetes node), non-zero when it has none. */
    public static String kubeletInstalled() {
        return "test -x " + KUBELET + " || systemctl cat kubelet >/dev/null 2>&1";
    }

    public static String getNodesJson() {
        return K + " get nodes -o json";
    }

    public static String cordon(String node) {
        return K + " cordon " + Shell.quote(node);
    }

    public static String uncordon(String node) {
        return K + " uncordon " + Shell.quote(node);
    }

    /**
     * KubeKey's drain: DaemonSet pods stay, emptyDir data goes, bare pods are deleted; the timeout
     * bounds the whole drain (evictions blocked by a PodDisruptionBudget are retried until then).
     */
    public static String drain(String node, Duration timeout) {
        return K + " drain " + Shell.quote(node) + " --ignore-daemonsets --delete-emptydir-data --force --timeout="
                + timeout.toSeconds() + "s";
    }

    /** Deletes the node object; a node already gone is no error. */
    public static String deleteNode(String node) {
        return K + " delete node " + Shell.quote(node) + " --ignore-not-found";
    }

    /** Sets the node's CRI socket annotation (kubeadm reads it on upgrade). */
    public static String annotateCriSocket(String node, String socket) {
        return K + " annotate node " + Shell.quote(node) + " --overwrite " + CRI_SOCKET_ANNOTATION + "="
                + Shell.quote(socket);
    }

    /**
     * Waits until the node is Ready (and, when {@code version} is not empty, reports that kubelet
     * version); prints the last state seen and fails when the timeout passes.
     */
    public static String waitReady(String node, String version, Duration timeout) {
        String want = version.isEmpty() ? "True" : version + " True";
        String get = K + " get node " + Shell.quote(node) + " -o jsonpath="
                + Shell.quote(
                        version.isEmpty()
                                ? "{.status.conditions[?(@.type==\"Ready\")].status}"
                                : "{.status.nodeInfo.kubeletVersion} {.status.conditions[?(@.type==\"Ready\")].status}");
        long tries = Math.max(1, timeout.toSeconds() / 5);
        return "for i in $(seq 1 " + tries + "); do s=$(" + get + " 2>/dev/null); [ \"$s\" = " + Shell.quote(want)
                + " ] && exit 0; sleep 5; done; echo \"node " + node + " not ready: last state '$s', wanted '" + want
                + "'\" >&2; exit 1";
    }
}
