package io.kk.api;

import io.kk.config.ClusterConfig;
import io.kk.config.ClusterDefaults;
import io.kk.config.ConfigLoader;
import io.kk.config.ConfigWriter;
import io.kk.config.KnownVersions;
import io.kk.config.LoadedCluster;
import io.kk.config.LoadedManifest;
import io.kk.config.LocalMachine;
import io.kk.config.Manifest;
import io.kk.config.SampleConfigs;
import io.kk.error.KkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The front door for Cluster configs and Manifests: load, check, write, create samples. */
public final class Configs {
    private Configs() {}

    /** Loads and validates; returns the config with every problem (never throws for bad content). */
    public static LoadedCluster check(Path file, KnownVersions known) {
        return ConfigLoader.cluster(file, known);
    }

    /** Loads a Cluster config; throws {@code InvalidInputException} (exit 2) listing all errors. */
    public static LoadedCluster load(Path file, KnownVersions known) {
        LoadedCluster loaded = check(file, known);
        loaded.orThrow();
        return loaded;
    }

    /** Loads with kk's component catalog as the judge of known Kubernetes versions. */
    public static LoadedCluster load(Path file) {
        return load(file, catalogVersions());
    }

    /** A version is known when the catalog lists kubeadm for it (others are checked at export). */
    public static KnownVersions catalogVersions() {
        java.util.Set<String> known =
                java.util.Set.copyOf(io.kk.catalog.Catalog.builtin().supportedKubernetesVersions());
        return known::contains;
    }

    public static LoadedManifest checkManifest(Path file) {
        return ConfigLoader.manifest(file);
    }

    /** Loads a Manifest; throws {@code InvalidInputException} (exit 2) listing all errors. */
    public static Manifest loadManifest(Path file) {
        return checkManifest(file).orThrow();
    }

    /** The all-in-one config for this machine (kk create cluster without -f). */
    public static ClusterConfig allInOne(String kubernetesVersion) {
        return SampleConfigs.allInOne(LocalMachine.detect(), orDefault(kubernetesVersion));
    }

    public static String toYaml(ClusterConfig config) {
        return ConfigWriter.write(config);
    }

    /** A Manifest as YAML in KubeKey's layout (for {@code kk create manifest}). */
    public static String toYaml(Manifest manifest) {
        return io.kk.config.ManifestWriter.write(manifest);
    }

    /** KubeKey's default output name: {@code config-<name>.yaml}. */
    public static Path defaultConfigFile(String name) {
        return Path.of("config-" + name + ".yaml");
    }

    /**
     * What {@code kk create config} asks for.
     *
     * @param output where to write; null for {@code config-<name>.yaml} in the current directory
     * @param overwrite replace an existing file
     */
    public record CreateConfigRequest(String name, String kubernetesVersion, Path output, boolean overwrite) {}

    public record CreatedConfig(Path file, String name, String kubernetesVersion, String containerManager) {}

    /** Writes a sample Cluster config that loads back without problems. */
    public static CreatedConfig createSample(CreateConfigRequest request) {
        String name = request.name() == null || request.name().isBlank() ? "sample" : request.name();
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
            throw KkException.invalidInput(
                    "invalid name \"" + name + "\"", "use lower-case letters, digits, '-' and '.', e.g. --name prod");
        }
        String version = orDefault(request.kubernetesVersion());
        ClusterConfig config = SampleConfigs.sample(name, version);
        Path out = Objects.requireNonNullElse(request.output(), defaultConfigFile(name));
        if (Files.isDirectory(out)) {
            throw KkException.invalidInput(out + " is a directory", "give a file name with -f");
        }
        if (Files.exists(out) && !request.overwrite()) {
            throw KkException.invalidInput(
                    out + " already exists", "pass --yes to overwrite it, or -f to write somewhere else");
        }
        writeAtomically(out, ConfigWriter.write(config));
        return new CreatedConfig(out, name, version, config.kubernetes().containerManager());
    }

    private static String orDefault(String version) {
        return version == null || version.isBlank()
                ? ClusterDefaults.KUBERNETES_VERSION
                : SampleConfigs.checkKubernetesVersion(version);
    }

    private static void writeAtomically(Path out, String text) {
        try {
            io.kk.util.AtomicFiles.writeString(out.toAbsolutePath(), text);
        } catch (IOException e) {
            throw io.kk.error.FileErrors.writing(out, "-f", e);
        }
    }
}
