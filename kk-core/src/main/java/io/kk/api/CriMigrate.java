package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.install.FileInstall;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.migrate.CriMigratePlan;
import io.kk.cluster.migrate.CriMigrateRequest;
import io.kk.cluster.node.PlanOrder;
import io.kk.cluster.runtime.RuntimeRequest;
import io.kk.cluster.runtime.RuntimeSettings;
import io.kk.config.ClusterConfig;
import io.kk.config.RegistryConfig;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.image.ImageReference;
import io.kk.plan.HostSelector;
import io.kk.plan.PlanReport;
import io.kk.plan.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk alpha cri migrate}: the config's nodes of a role moved from docker to kk's containerd
 * from the artifact, one at a time. The config still says docker; set {@code containerManager:
 * containerd} in it afterwards.
 */
public final class CriMigrate {
    private CriMigrate() {}

    public record Request(
            ClusterConfig config,
            Path artifactDir,
            CriMigrateRequest.NodeRole role,
            Duration drainTimeout,
            HostRunOptions options) {}

    public static PlanOrder preview(Request r) {
        return PlanOrder.of(CriMigratePlan.pipeline(request(r)), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        return HostRuns.run(
                r.config(),
                CriMigratePlan.pipeline(request(r)),
                ClusterHosts.inventory(r.config()),
                r.options(),
                events);
    }

    static CriMigrateRequest request(Request r) {
        ClusterConfig c = r.config();
        List<FileInstall.Plan> binaries = containerdBinaries(c, r.artifactDir());
        RuntimeSettings settings = containerdSettings(c);
        return new CriMigrateRequest(
                ClusterHosts.inventory(c),
                r.role(),
                KubeVersion.parse(c.kubernetes().version()),
                hosts -> new RuntimeRequest(hosts, "containerd", settings, binaries),
                caCopies(c),
                r.drainTimeout(),
                Duration.ofMinutes(5));
    }

    /** kk's registry CA: where the registry phase put it for docker, and where containerd reads it. */
    static List<CriMigrateRequest.CaCopy> caCopies(ClusterConfig c) {
        if (c.registryHost().isEmpty()) {
            return List.of();
        }
        String host = DeliverySettings.registryHostPort(c);
        return List.of(new CriMigrateRequest.CaCopy(
                "/etc/docker/certs.d/" + host + "/ca.crt", "/etc/containerd/certs.d/" + host + "/ca.crt"));
    }

    /**
     * The runtime settings for containerd on a node that ran docker: the registries as the config
     * gives them (kk's registry CA at containerd's path, see {@link #caCopies}), containerd's own
     * data dir, and the pause image KubeKey pairs with containerd.
     */
    static RuntimeSettings containerdSettings(ClusterConfig c) {
        RuntimeSettings docker = DeliverySettings.runtimeSettings(c);
        List<RuntimeSettings.RegistryAccess> registries = new ArrayList<>();
        for (RuntimeSettings.RegistryAccess a : docker.registries()) {
            String ca = a.caFile().startsWith("/etc/docker/certs.d/")
                    ? "/etc/containerd/certs.d/" + a.caFile().substring("/etc/docker/certs.d/".length())
                    : a.caFile();
            registries.add(new RuntimeSettings.RegistryAccess(
                    a.host(),
                    a.username(),
                    a.password(),
                    ca,
                    a.certFile(),
                    a.keyFile(),
                    a.skipTlsVerify(),
                    a.plainHttp()));
        }
        RuntimeSettings s = new RuntimeSettings(
                docker.dataRoot(),
                docker.sandboxImage(),
                docker.registryMirrors(),
                docker.insecureRegistries(),
                registries,
                "",
                docker.bridgeIp());
        RegistryConfig reg = c.registry();
        String dataRoot =
                reg.containerdDataDir() != null && !reg.containerdDataDir().isEmpty()
                        ? reg.containerdDataDir()
                        : reg.dataRoot() == null ? "" : reg.dataRoot();
        String pause = ClusterImages.pauseAndCoreDns(c.kubernetes().version(), "containerd")
                .pause();
        String sandbox = DeliverySettings.target(c)
                .destinationFor(ImageReference.parse("docker.io/" + ClusterImages.KUBE_NAMESPACE + "/pause:" + pause))
                .toString();
        return new RuntimeSettings(
                dataRoot, sandbox, s.registryMirrors(), s.insecureRegistries(), s.registries(), "", s.bridgeIp());
    }

    /** containerd, runc, the CNI plugins and crictl (when the artifact has it), as the runtime phase installs them. */
    static List<FileInstall.Plan> containerdBinaries(ClusterConfig c, Path a) {
        List<String> arches = ClusterHosts.inventory(c).select(HostSelector.k8s()).stream()
                .map(Target::arch)
                .distinct()
                .toList();
        if (arches.size() > 1) {
            throw KkException.invalidInput(
                    "k8s hosts of several architectures " + arches + " in one run",
                    "kk installs one architecture's runtime per run for now");
        }
        return InitRuntime.binaries(a, "containerd", arches.isEmpty() ? "amd64" : arches.get(0));
    }
}
