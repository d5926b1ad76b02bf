package io.kk.cli;

import io.kk.api.Upgrade;
import io.kk.cluster.node.PlanOrder;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "upgrade",
        mixinStandardHelpOptions = true,
        description = "Upgrade Kubernetes one minor (or patch) at a time: control planes one by one, then workers"
                + " one by one, each followed by a health wait. A rerun skips nodes already at the target.")
final class UpgradeCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DeliveryOptions delivery;

    @Option(
            names = "--with-kubernetes",
            required = true,
            paramLabel = "VERSION",
            description = "The Kubernetes version to upgrade to, e.g. v1.28.2.")
    String version;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long each worker's drain may take (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = "--skip-image-check",
            description = "Do not check that the private registry holds the target version's images.")
    boolean skipImageCheck;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    UpgradeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = delivery.loadConfig(console);
        if (hosts.dryRun) {
            PlanOrder plan = Upgrade.preview(request(config, delivery.plannedArtifactDir()));
            console.line(plan.render());
            console.result(plan);
            return 0;
        }
        Upgrade.Request r = request(config, delivery.artifactDir(console));
        if (!yes) {
            Confirmation.ask(console, "upgrade to " + version);
        }
        PlanReport report = Upgrade.run(r, console);
        console.result(report);
        return 0;
    }

    private Upgrade.Request request(ClusterConfig config, java.nio.file.Path artifactDir) {
        return new Upgrade.Request(
                config,
                artifactDir,
                delivery.workDir,
                version,
                Duration.ofSeconds(timeoutSeconds),
                !skipImageCheck,
                hosts.toOptions());
    }
}
