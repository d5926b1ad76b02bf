package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.config.ClusterConfig;
import io.kk.event.EventSink;
import io.kk.host.HostAccess;
import io.kk.host.ssh.SshRemoteFactory;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.PlanRunner;
import java.util.Map;

/** Runs a pipeline on the config's hosts over SSH, or previews it. Shared by every host command. */
final class HostRuns {
    private HostRuns() {}

    static PlanPreview preview(Pipeline pipeline, Inventory inventory) {
        return PlanPreview.of(pipeline, inventory);
    }

    static PlanReport run(
            ClusterConfig config, Pipeline pipeline, Inventory inventory, HostRunOptions options, EventSink events) {
        Map<String, HostAccess> access = ClusterHosts.access(config, options.home());
        SshRemoteFactory.Options ssh = SshRemoteFactory.Options.of(options.knownHosts(), events)
                .withInsecureSkipHostKeyCheck(options.insecureSkipHostKeyCheck());
        try (SshRemoteFactory remotes = new SshRemoteFactory(ssh)) {
            PlanRunner runner = new PlanRunner(ClusterHosts.remotes(access, remotes), options.run(), events);
            return runner.run(pipeline, inventory);
        }
    }
}
