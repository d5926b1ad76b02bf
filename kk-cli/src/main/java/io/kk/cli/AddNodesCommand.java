package io.kk.cli;

import io.kk.api.AddNodes;
import io.kk.api.CreateCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = "Add the config's new hosts to the cluster: OS prep, runtime, binaries and (with kubeadm)"
                + " join. Hosts already in the cluster only get what they lack; nothing is restarted on them.")
final class AddNodesCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DownloadOptions download;

    @Mixin
    ConfigOption config;

    @Option(
            names = {"-a", "--artifact"},
            paramLabel = "FILE|DIR",
            description = "An artifact, or the directory it was imported to (default: download what is needed).")
    Path artifact;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir: imported artifact, downloads, certificates (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    AddNodesCommand(Console console) {
        this.console = console;
    }

    /** The JSON result: one row per host. */
    record Summary(boolean ok, List<AddNodes.HostResult> hosts, String stop) {}

    @Override
    public Integer call() {
        AddNodes.Request request = new AddNodes.Request(
                config.load(console), config.configDir(), artifact, workDir, download.source(), hosts.toOptions());
        if (hosts.dryRun) {
            CreateCluster.Preview preview = AddNodes.preview(request);
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        if (!yes) {
            CreateCluster.Plan plan = AddNodes.plan(request);
            plan.phases().forEach(p -> console.err().println(p.render()));
            Confirmation.ask(console, "add nodes", "Add the new hosts of " + config.configFile + "?");
        }
        AddNodes.Result r = AddNodes.run(request, console);
        for (AddNodes.HostResult h : r.hosts()) {
            console.line(h.host() + ": " + (h.existing() ? "in the cluster" : "new") + ", " + h.changed() + " changed, "
                    + h.unchanged() + " unchanged" + (h.failure().isEmpty() ? "" : ", FAILED: " + h.failure()));
            h.changes().forEach(c -> console.line("  changed: " + c));
        }
        console.result(
                new Summary(r.create().report().ok(), r.hosts(), r.create().stop()));
        r.create().report().orThrow();
        if (!r.create().stop().isEmpty()) {
            console.line("add nodes: stopped before join: " + r.create().stop());
            return 0;
        }
        console.line("add nodes: done");
        return 0;
    }
}
