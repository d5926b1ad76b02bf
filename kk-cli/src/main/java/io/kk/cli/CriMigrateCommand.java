package io.kk.cli;

import io.kk.api.CriMigrate;
import io.kk.cluster.migrate.CriMigrateRequest;
import io.kk.cluster.node.PlanOrder;
import io.kk.config.ClusterConfig;
import io.kk.event.Note;
import io.kk.plan.PlanReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Move nodes from docker to containerd (from the artifact), one node at a time: cordon, drain,"
                + " stop docker, install containerd, point kubelet at it, uncordon.")
final class CriMigrateCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DeliveryOptions delivery;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "Which nodes: master, worker or all.")
    String role;

    @Option(
            names = "--type",
            defaultValue = "containerd",
            paramLabel = "CRI",
            description = "The runtime to move to; kk moves to containerd only (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long each drain may take (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    CriMigrateCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (!"containerd".equalsIgnoreCase(type)) {
            throw io.kk.error.KkException.invalidInput(
                    "kk migrates to containerd only, not to " + type, "give --type containerd (or leave it out)");
        }
        ClusterConfig config = delivery.loadConfig(console);
        CriMigrateRequest.NodeRole nodes = CriMigrateRequest.NodeRole.parse(role);
        if (hosts.dryRun) {
            PlanOrder plan = CriMigrate.preview(new CriMigrate.Request(
                    config,
                    delivery.plannedArtifactDir(),
                    nodes,
                    Duration.ofSeconds(timeoutSeconds),
                    hosts.toOptions()));
            console.line(plan.render());
            console.result(plan);
            return 0;
        }
        CriMigrate.Request r = new CriMigrate.Request(
                config, delivery.artifactDir(console), nodes, Duration.ofSeconds(timeoutSeconds), hosts.toOptions());
        if (!yes) {
            Confirmation.ask(console, "cri migrate (" + role + ") to containerd");
        }
        PlanReport report = CriMigrate.run(r, console);
        console.result(report);
        report.orThrow();
        if (!"containerd".equals(config.kubernetes().containerManager())) {
            console.emit(Note.info("set spec.kubernetes.containerManager: containerd in " + delivery.configFile
                    + " once every node is migrated"));
        }
        return 0;
    }
}
