package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.os.CustomScript;
import io.kk.cluster.os.OsInitPlan;
import io.kk.cluster.os.OsInitRequest;
import io.kk.cluster.os.PackageSource;
import io.kk.config.ClusterConfig;
import io.kk.event.EventSink;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kk init os}: precheck and prepare every host's OS (swap, sysctl, modules, hostname,
 * /etc/hosts, packages from the artifact's ISO or the OS's repositories, custom scripts).
 */
public final class InitOs {
    private InitOs() {}

    /**
     * @param config the loaded Cluster config
     * @param configDir directory of the config file: script materials are relative to it
     * @param artifactDir an imported artifact (its {@code repository/} tree holds the ISOs), or null
     *     for the OS's own repositories
     */
    public record Request(ClusterConfig config, Path configDir, Path artifactDir, HostRunOptions options) {}

    public static Pipeline pipeline(Request r) {
        return OsInitPlan.pipeline(osRequest(r));
    }

    public static PlanPreview preview(Request r) {
        OsInitRequest os = osRequest(r);
        return HostRuns.preview(OsInitPlan.pipeline(os), os.inventory());
    }

    public static PlanReport run(Request r, EventSink events) {
        OsInitRequest os = osRequest(r);
        return HostRuns.run(r.config(), OsInitPlan.pipeline(os), os.inventory(), r.options(), events);
    }

    static OsInitRequest osRequest(Request r) {
        ClusterConfig c = r.config();
        Inventory inv = ClusterHosts.inventory(c);
        PackageSource packages = r.artifactDir() == null
                ? new PackageSource.Online()
                : new PackageSource.IsoRepository(r.artifactDir().resolve("repository"));
        return new OsInitRequest(
                inv.hosts(),
                c.kubernetes().clusterName(),
                c.controlPlaneEndpoint().domain(),
                c.endpointAddress(),
                c.registry().privateRegistry(),
                c.system().ntpServers(),
                c.system().timezone(),
                c.system().debs(),
                c.system().rpms(),
                scripts(c.system().preInstall(), r.configDir()),
                scripts(c.system().postInstall(), r.configDir()),
                packages,
                c.kubernetes().proxyMode(),
                null);
    }

    private static List<CustomScript> scripts(List<io.kk.config.CustomScript> in, Path base) {
        return in.stream()
                .map(s -> new CustomScript(
                        s.name(),
                        s.bash(),
                        s.role(),
                        s.materials().stream().map(m -> base.resolve(m)).toList()))
                .toList();
    }
}
