package io.kk.cli;

import io.kk.api.Artifacts;
import io.kk.api.InitOs;
import io.kk.config.ClusterConfig;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "os",
        mixinStandardHelpOptions = true,
        description = "Check and prepare every host's OS: swap, sysctl, kernel modules, hostname, /etc/hosts,"
                + " packages (from the artifact's ISO, else the OS's repositories), custom scripts.")
final class InitOsCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    ConfigOption configOption;

    @Option(
            names = {"-a", "--artifact"},
            paramLabel = "FILE|DIR",
            description = "An artifact (or a directory it was imported to) holding the OS package ISOs.")
    Path artifact;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir (default: ${DEFAULT-VALUE}).")
    Path workDir;

    InitOsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        ClusterConfig config = configOption.load(console);
        Path configDir = configOption.configDir();
        if (hosts.dryRun) {
            Path artifactDir = artifact == null ? null : Artifacts.plannedDir(artifact, workDir);
            PlanPreview preview = InitOs.preview(new InitOs.Request(config, configDir, artifactDir, hosts.toOptions()));
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        Path artifactDir = artifact == null ? null : Artifacts.prepare(artifact, workDir, console);
        PlanReport report = InitOs.run(new InitOs.Request(config, configDir, artifactDir, hosts.toOptions()), console);
        console.result(report);
        report.orThrow();
        return 0;
    }
}
