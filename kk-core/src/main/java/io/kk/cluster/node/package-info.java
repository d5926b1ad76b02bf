/**
 * Day-two work on single nodes of a running cluster, shared by {@code kk delete node}, {@code kk
 * upgrade} and {@code kk alpha cri migrate}: the kubectl command lines (cordon, drain, uncordon,
 * delete, wait for Ready) as data, the parsers of what kubectl answers ({@link
 * io.kk.cluster.node.NodeStatus}, {@link io.kk.cluster.node.DrainReport}), the etcd quorum rule, and
 * the delete-node pipeline.
 *
 * <p>kubectl runs on a control plane (with {@code /etc/kubernetes/admin.conf}), never on the node
 * being worked on, since a worker has no admin kubeconfig. A node without kubelet is not a
 * Kubernetes node (yet): its kubectl and kubelet steps are skipped with a note saying so.
 */
package io.kk.cluster.node;
