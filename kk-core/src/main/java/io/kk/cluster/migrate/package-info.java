/**
 * {@code kk alpha cri migrate}: moves Kubernetes nodes from docker (+ cri-dockerd) to kk's
 * containerd one node at a time, as KubeKey 3.x's {@code MigrateSelfNodeCri} does: cordon, drain,
 * stop docker, install and configure containerd from the artifact (the runtime phase's own steps,
 * for that node alone), point kubelet at containerd ({@code kubeadm-flags.env} and the node's
 * {@code cri-socket} annotation), restart kubelet, wait for Ready, uncordon.
 */
package io.kk.cluster.migrate;
