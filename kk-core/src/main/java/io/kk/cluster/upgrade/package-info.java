/**
 * {@code kk upgrade}: the version-skew rule, the preflight on the cluster's real state, and the
 * pipeline that upgrades control planes one by one (the first with {@code kubeadm upgrade apply},
 * the others with {@code kubeadm upgrade node}) and then workers one by one (drained, upgraded,
 * uncordoned), each followed by a health wait. Nodes whose kubelet already reports the target
 * version are skipped, so a rerun after a failure resumes where it stopped.
 */
package io.kk.cluster.upgrade;
