package io.kk.cli;

import io.kk.api.DeleteCluster;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Remove everything kk installed from the cluster's hosts: kubeadm reset, kk's services,"
                + " binaries, config files and certificates, its /etc/hosts blocks, CNI interfaces and"
                + " iptables/IPVS rules, and (after confirmation, or with --yes) the data dirs. Running it again"
                + " is harmless.")
final class DeleteClusterCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    ConfigOption config;

    @Option(names = "--all", description = "Also the registry host: the registry, its data and kk's files there.")
    boolean all;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask: delete the data dirs too.")
    boolean yes;

    DeleteClusterCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig c = config.load(console);
        if (hosts.dryRun) {
            PlanPreview preview = DeleteCluster.preview(new DeleteCluster.Request(c, all, true, hosts.toOptions()));
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        DeleteCluster.Request request = new DeleteCluster.Request(c, all, true, hosts.toOptions());
        if (!yes) {
            Confirmation.ask(
                    console,
                    "delete cluster",
                    "Delete the cluster on " + c.hosts().size() + " hosts, with its data dirs "
                            + DeleteCluster.dataDirs(request) + "?");
        }
        PlanReport report = DeleteCluster.run(request, console);
        console.result(report);
        report.orThrow();
        console.line("delete cluster: done");
        return 0;
    }
}
