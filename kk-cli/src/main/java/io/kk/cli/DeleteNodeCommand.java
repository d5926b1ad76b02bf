package io.kk.cli;

import io.kk.api.DeleteNode;
import io.kk.cluster.node.PlanOrder;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Delete a node: cordon and drain it, remove its etcd member, kubeadm reset it, remove kk's"
                + " files and units from it, delete the node object. Refuses the last control plane and an etcd"
                + " removal that would break quorum.")
final class DeleteNodeCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Parameters(index = "0", paramLabel = "NAME", description = "The node's host name in the config.")
    String node;

    @Mixin
    ConfigOption configOption;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long the drain may take before kk reports the pods that stayed (default:"
                    + " ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    DeleteNodeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = configOption.load(console);
        DeleteNode.Request r =
                new DeleteNode.Request(config, node, Duration.ofSeconds(timeoutSeconds), hosts.toOptions());
        if (hosts.dryRun) {
            PlanOrder plan = DeleteNode.preview(r);
            console.line(plan.render());
            console.result(plan);
            return 0;
        }
        DeleteNode.preview(r); // refuses the last control plane / etcd member before asking
        if (!yes) {
            Confirmation.ask(console, "delete node " + node);
        }
        PlanReport report = DeleteNode.run(r, console);
        console.result(report);
        report.orThrow();
        return 0;
    }
}
