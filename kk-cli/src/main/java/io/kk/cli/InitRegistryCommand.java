package io.kk.cli;

import io.kk.api.InitRegistry;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Install the private registry on the registry host (TLS certificate made by kk, htpasswd"
                + " from registry.auths) and kk's CA on every node. Harbor: its config only.")
final class InitRegistryCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DeliveryOptions delivery;

    InitRegistryCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = delivery.loadConfig(console);
        if (hosts.dryRun) {
            Path dir = delivery.plannedArtifactDir();
            PlanPreview preview =
                    InitRegistry.preview(new InitRegistry.Request(config, dir, delivery.workDir, hosts.toOptions()));
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        Path dir = delivery.artifactDir(console);
        PlanReport report =
                InitRegistry.run(new InitRegistry.Request(config, dir, delivery.workDir, hosts.toOptions()), console);
        console.result(report);
        report.orThrow();
        return 0;
    }
}
