package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.install.FileInstall;
import io.kk.cluster.runtime.RuntimePlan;
import io.kk.cluster.runtime.RuntimeRequest;
import io.kk.config.ClusterConfig;
import io.kk.error.KkException;
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
import java.util.List;

/**
 * The container runtime phase on the k8s hosts: containerd + runc + CNI plugins (+ crictl when the
 * artifact has it) or docker, configured for the private registry with kk's CA.
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
                .toList();
        if (arches.size() > 1) {
            throw KkException.invalidInput(
                    "k8s hosts of several architectures " + arches + " in one run",
                    "kk installs one architecture's runtime per run for now");
        }
        String arch = arches.isEmpty() ? "amd64" : arches.get(0);
        Path a = r.artifactDir();
        List<FileInstall.Plan> binaries = new ArrayList<>();
        String manager = c.kubernetes().containerManager();
        if ("docker".equals(manager)) {
            binaries.add(FileInstall.fromTarball(
                    FileInstall.find(a, "docker", null, arch, f -> f.startsWith("docker-") && f.endsWith(".tgz")),
                    e -> e.startsWith("docker/"),
                    "/usr/bin"));
        } else {
            binaries.add(FileInstall.fromTarball(
                    FileInstall.find(
                            a, "containerd", null, arch, f -> f.startsWith("containerd-") && f.endsWith(".tar.gz")),
                    e -> e.startsWith("bin/"),
                    "/usr/bin"));
            binaries.add(FileInstall.file(
                    FileInstall.find(a, "runc", null, arch, f -> f.equals("runc." + arch)), "/usr/local/sbin/runc"));
        }
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
        return new RuntimeRequest(HostSelector.k8s(), manager, DeliverySettings.runtimeSettings(c), binaries);
    }
}
