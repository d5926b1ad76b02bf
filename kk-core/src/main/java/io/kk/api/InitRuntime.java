package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.install.FileInstall;
import io.kk.cluster.runtime.RuntimePlan;
import io.kk.cluster.runtime.RuntimeRequest;
import io.kk.config.ClusterConfig;
import io.kk.event.EventSink;
import io.kk.plan.HostSelector;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container runtime phase on the k8s hosts: containerd + runc + CNI plugins (+ crictl when the
 * artifact has it) or docker, configured for the private registry with kk's CA; each host gets its
 * own arch's binaries. CRI-O and iSulad are checked, not installed (as KubeKey does).
 */
public final class InitRuntime {
    private InitRuntime() {}

    public record Request(ClusterConfig config, Path artifactDir, HostRunOptions options) {}

    public static Module module(Request r) {
        return RuntimePlan.module(runtimeRequest(r));
    }

    public static Pipeline pipeline(Request r) {
        return RuntimePlan.pipeline(runtimeRequest(r));
    }

    public static PlanPreview preview(Request r) {
        return HostRuns.preview(pipeline(r), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        Inventory inv = ClusterHosts.inventory(r.config());
        return HostRuns.run(r.config(), pipeline(r), inv, r.options(), events);
    }

    static RuntimeRequest runtimeRequest(Request r) {
        ClusterConfig c = r.config();
        Inventory inv = ClusterHosts.inventory(c);
        List<String> arches = inv.select(HostSelector.k8s()).stream()
                .map(Target::arch)
                .distinct()
                .sorted()
                .toList();
        String manager = c.kubernetes().containerManager();
        Map<String, List<FileInstall.Plan>> byArch = new LinkedHashMap<>();
        if (arches.size() <= 1) {
            byArch.put(
                    RuntimeRequest.ANY_ARCH,
                    binaries(r.artifactDir(), manager, arches.isEmpty() ? "amd64" : arches.get(0)));
        } else {
            // a mixed cluster: each host gets its own arch's binaries from the artifact
            for (String arch : arches) {
                byArch.put(arch, binaries(r.artifactDir(), manager, arch));
            }
        }
        return new RuntimeRequest(HostSelector.k8s(), manager, DeliverySettings.runtimeSettings(c), byArch);
    }

    /** The runtime's binaries from the artifact for {@code manager} on {@code arch}, as the runtime phase installs them. */
    static List<FileInstall.Plan> binaries(Path a, String manager, String arch) {
        List<FileInstall.Plan> binaries = new ArrayList<>();
        if ("docker".equals(manager)) {
            binaries.add(FileInstall.fromTarball(
                    FileInstall.find(a, "docker", null, arch, f -> f.startsWith("docker-") && f.endsWith(".tgz")),
                    e -> e.startsWith("docker/"),
                    "/usr/bin"));
        } else if ("containerd".equals(manager)) {
            binaries.add(FileInstall.fromTarball(
                    FileInstall.find(
                            a, "containerd", null, arch, f -> f.startsWith("containerd-") && f.endsWith(".tar.gz")),
                    e -> e.startsWith("bin/"),
                    "/usr/bin"));
            binaries.add(FileInstall.file(
                    FileInstall.find(a, "runc", null, arch, f -> f.equals("runc." + arch)), "/usr/local/sbin/runc"));
        }
        // crio / isula: the operator's runtime; kk brings only the CNI plugins and crictl
        binaries.add(FileInstall.fromTarball(
                FileInstall.find(a, "cni", null, arch, f -> f.startsWith("cni-plugins-") && f.endsWith(".tgz")),
                e -> !e.endsWith("/"),
                "/opt/cni/bin"));
        if (java.nio.file.Files.isDirectory(a.resolve("crictl"))) {
            binaries.add(FileInstall.fromTarball(
                    FileInstall.find(a, "crictl", null, arch, f -> f.startsWith("crictl-") && f.endsWith(".tar.gz")),
                    e -> e.endsWith("crictl"),
                    "/usr/bin"));
        }
        return binaries;
    }
}
