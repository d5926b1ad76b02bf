package io.kk.cluster.runtime;

import io.kk.cluster.install.FileInstall;
import io.kk.plan.HostSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the container runtime phase installs, resolved beforehand from config and artifact.
 *
 * @param hosts where the runtime goes (KubeKey: the k8s hosts)
 * @param containerManager containerd or docker; crio and isula are the operator's own runtimes
 *     (KubeKey installs neither): kk only checks they run
 * @param settings registries, mirrors, sandbox image, data root; the snapshotter is decided per
 *     host (native when the data dir sits on overlay) unless {@code fixedSnapshotter}
 * @param binaries per host arch, the runtime's binaries from the artifact (containerd, runc, CNI
 *     plugins, crictl when present; docker's static binaries), in install order; the key {@link
 *     #ANY_ARCH} serves every host
 */
public record RuntimeRequest(
        HostSelector hosts,
        String containerManager,
        RuntimeSettings settings,
        Map<String, List<FileInstall.Plan>> binaries) {
    /** The key of {@link #binaries()} for binaries every host gets, whatever its arch. */
    public static final String ANY_ARCH = "*";

    public RuntimeRequest {
        Objects.requireNonNull(hosts, "hosts");
        containerManager = containerManager == null || containerManager.isEmpty() ? "containerd" : containerManager;
        Objects.requireNonNull(settings, "settings");
        Map<String, List<FileInstall.Plan>> copy = new LinkedHashMap<>();
        binaries.forEach((arch, plans) -> copy.put(arch, List.copyOf(plans)));
        binaries = java.util.Collections.unmodifiableMap(copy);
    }

    /** The same binaries for every host. */
    public RuntimeRequest(
            HostSelector hosts, String containerManager, RuntimeSettings settings, List<FileInstall.Plan> binaries) {
        this(hosts, containerManager, settings, Map.of(ANY_ARCH, binaries));
    }

    /** CRI-O or iSulad: the operator's runtime, which kk checks but does not install or configure. */
    public boolean preinstalled() {
        return "crio".equals(containerManager) || "isula".equals(containerManager);
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
