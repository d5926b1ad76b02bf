package io.kk.cli;

import io.kk.api.Configs;
import io.kk.config.ClusterConfig;
import io.kk.config.LoadedCluster;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The required {@code -f} of the day-two verbs, loaded with its warnings shown. */
final class ConfigOption {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "The Cluster config.")
    Path configFile;

    ClusterConfig load(Console console) {
        return load(configFile, console);
    }

    /** Loads a Cluster config, shows its warnings and throws on its errors. */
    static ClusterConfig load(Path configFile, Console console) {
        LoadedCluster loaded = Configs.load(configFile);
        loaded.warnings().forEach(console::problem);
        return loaded.orThrow();
    }

    Path configDir() {
        return configFile.toAbsolutePath().getParent();
    }
}
