package io.kk.cli;

import io.kk.api.InitRuntime;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "runtime",
        mixinStandardHelpOptions = true,
        description = "Install the container runtime (containerd + runc + CNI plugins, or docker) from the artifact"
                + " on the k8s hosts, configured for the private registry.")
final class InitRuntimeCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DeliveryOptions delivery;

    InitRuntimeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = delivery.loadConfig(console);
        if (hosts.dryRun) {
            PlanPreview preview = InitRuntime.preview(
                    new InitRuntime.Request(config, delivery.plannedArtifactDir(), hosts.toOptions()));
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        PlanReport report = InitRuntime.run(
                new InitRuntime.Request(config, delivery.artifactDir(console), hosts.toOptions()), console);
        console.result(report);
        report.orThrow();
        return 0;
    }
}
