package io.kk.cli;

import io.kk.api.Configs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "config", description = "Write a sample Cluster config (config-<name>.yaml) to edit.")
final class CreateConfigCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Option(names = "--name", defaultValue = "sample", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--with-kubernetes",
            paramLabel = "VERSION",
            description = "Kubernetes version, e.g. v1.28.2 (default: KubeKey's, v1.23.10).")
    String kubernetesVersion;

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            description = "Output file (default: config-<name>.yaml in the current directory).")
    Path output;

    @Option(
            names = {"-y", "--yes"},
            description = "Overwrite the output file if it exists.")
    boolean yes;

    CreateConfigCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Configs.CreatedConfig created =
                Configs.createSample(new Configs.CreateConfigRequest(name, kubernetesVersion, output, yes));
        console.line("wrote " + created.file() + " (Kubernetes " + created.kubernetesVersion() + ", "
                + created.containerManager() + "); edit hosts and roleGroups, then run kk create cluster -f "
                + created.file());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", created.file().toString());
        result.put("name", created.name());
        result.put("kubernetesVersion", created.kubernetesVersion());
        console.result(result);
        return 0;
    }
}
