package io.kk.cluster.runtime;

import io.kk.cluster.install.FileInstall;
import io.kk.plan.HostSelector;
import java.util.List;
import java.util.Objects;

/**
 * What the container runtime phase installs, resolved beforehand from config and artifact.
 *
 * @param hosts where the runtime goes (KubeKey: the k8s hosts)
 * @param containerManager containerd or docker
 * @param settings registries, mirrors, sandbox image, data root; the snapshotter is decided per
 *     host (native when the data dir sits on overlay) unless {@code fixedSnapshotter}
 * @param binaries the runtime's binaries from the artifact (containerd, runc, CNI plugins, crictl
 *     when present; docker's static binaries), in install order
 */
public record RuntimeRequest(
        HostSelector hosts, String containerManager, RuntimeSettings settings, List<FileInstall.Plan> binaries) {
    public RuntimeRequest {
        Objects.requireNonNull(hosts, "hosts");
        containerManager = containerManager == null || containerManager.isEmpty() ? "containerd" : containerManager;
        Objects.requireNonNull(settings, "settings");
        binaries = List.copyOf(binaries);
    }

    public boolean docker() {
        return "docker".equals(containerManager);
    }

    /** The directory whose filesystem decides containerd's snapshotter. */
    public String dataRoot() {
        if (!settings.dataRoot().isEmpty()) {
            return settings.dataRoot();
        }
        return docker() ? "/var/lib/docker" : "/var/lib/containerd";
    }
}
