package io.kk.cluster.kubernetes;

import io.kk.config.ClusterDefaults;
import java.util.Locale;

/**
 * The Cluster config's {@code spec.kubernetes.containerManager}, and the CRI socket kubelet and
 * kubeadm talk to. kk always runs the runtime with the systemd cgroup driver (containerd
 * {@code SystemdCgroup = true}, docker {@code native.cgroupdriver=systemd}), so kubelet uses
 * systemd too.
 */
public enum ContainerRuntime {
    CONTAINERD("containerd", ClusterDefaults.CONTAINERD_ENDPOINT),
    /** docker through dockershim below 1.24, through cri-dockerd from 1.24 on. */
    DOCKER("docker", ClusterDefaults.CRI_DOCKERD_ENDPOINT),
    CRIO("crio", ClusterDefaults.CRIO_ENDPOINT),
    ISULA("isula", ClusterDefaults.ISULA_ENDPOINT);

    private final String configName;
    private final String socket;

    ContainerRuntime(String configName, String socket) {
        this.configName = configName;
        this.socket = socket;
    }

    /** The name in the Cluster config and in {@code ImageNeeds}. */
    public String configName() {
        return configName;
    }

    public static ContainerRuntime fromConfig(String name) {
        String n = name == null || name.isBlank() ? "docker" : name.trim().toLowerCase(Locale.ROOT);
        for (ContainerRuntime r : values()) {
            if (r.configName.equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown container manager: " + name);
    }

    /**
     * The CRI endpoint for {@code nodeRegistration.criSocket}; empty for docker below 1.24, where
     * kubeadm finds dockershim by itself (KubeKey leaves criSocket out there too).
     */
    public String criSocket(KubeVersion v) {
        if (this == DOCKER && v.below(24)) {
            return "";
        }
        return socket;
    }

    /** The runtime's socket on the host, e.g. {@code /var/run/crio/crio.sock}. */
    public String socketPath() {
        return socket.substring("unix://".length());
    }

    public String cgroupDriver() {
        return "systemd";
    }
}
