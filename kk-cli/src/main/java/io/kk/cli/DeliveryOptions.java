package io.kk.cli;

import io.kk.api.Artifacts;
import io.kk.config.ClusterConfig;
import io.kk.event.EventSink;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Config, artifact and work dir options of the delivery phases (registry, images, runtime). */
final class DeliveryOptions {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "FILE",
            description = "The Cluster config.")
    Path configFile;

    @Option(
            names = {"-a", "--artifact"},
            paramLabel = "FILE|DIR",
            description = "An artifact (or the directory it was imported to); default: the work dir.")
    Path artifact;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir (default: ${DEFAULT-VALUE}).")
    Path workDir;

    ClusterConfig loadConfig(Console console) {
        return ConfigOption.load(configFile, console);
    }

    Path plannedArtifactDir() {
        return artifact == null ? workDir : Artifacts.plannedDir(artifact, workDir);
    }

    Path artifactDir(EventSink events) {
        return artifact == null ? workDir : Artifacts.prepare(artifact, workDir, events);
    }
}
