/**
 * The files and commands that turn prepared hosts into a Kubernetes cluster with kubeadm, as
 * KubeKey does it, for Kubernetes 1.19 and later: pure generators of typed settings, no I/O.
 *
 * <p>Inputs: {@link io.kk.cluster.kubernetes.KubeadmSettings} (named after the Cluster config's
 * {@code spec.kubernetes}, {@code spec.network}, {@code spec.controlPlaneEndpoint} and {@code
 * spec.etcd} fields), with {@link io.kk.cluster.kubernetes.KubeImages} from KubeKey's image table
 * rewritten by {@link io.kk.cluster.kubernetes.ImageRewrite}, and {@link
 * io.kk.cluster.kubernetes.JoinCredentials} minted on the first control plane.
 *
 * <p>Outputs: {@link io.kk.cluster.kubernetes.KubeadmConfigs} (init and join files in the kubeadm
 * API the release reads), {@link io.kk.cluster.kubernetes.KubeletFiles}, {@link
 * io.kk.cluster.kubernetes.LoadBalancerFiles} (haproxy, kube-vip), {@link
 * io.kk.cluster.kubernetes.AuditFiles}, {@link io.kk.cluster.kubernetes.NodeFiles} (what goes
 * where), {@link io.kk.cluster.kubernetes.KubeadmCommands} (the command lines), and {@link
 * io.kk.cluster.kubernetes.KubeadmImages} (what kubeadm will pull, to check against the artifact).
 *
 * <p>{@link io.kk.cluster.kubernetes.KubernetesPlan} turns them into the init and join phases' plan
 * modules (the only class here that acts on hosts, through the plan engine), from a {@link
 * io.kk.cluster.kubernetes.KubernetesRequest}.
 */
package io.kk.cluster.kubernetes;
