package io.kk.config;

import io.kk.error.FileErrors;
import io.kk.error.KkException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads Cluster configs and Manifests; the front door {@code io.kk.api.Configs} calls it. */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Parses, applies defaults, validates; problems are returned, not thrown. */
    public static LoadedCluster cluster(String text, String file, KnownVersions known) {
        return ClusterReader.load(text, file, known);
    }

    public static LoadedCluster cluster(Path file, KnownVersions known) {
        return cluster(read(file, "-f", "the Cluster config"), file.toString(), known);
    }

    public static LoadedManifest manifest(String text, String file) {
        return ManifestReader.load(text, file);
    }

    public static LoadedManifest manifest(Path file) {
        return manifest(read(file, "-m", "the Manifest"), file.toString());
    }

    static String read(Path file, String flag, String what) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw KkException.invalidInput(
                    file + " is not UTF-8 text (a binary file?)",
                    "give " + what + " with " + flag + ", saved as UTF-8");
        } catch (IOException e) {
            throw FileErrors.reading(file, flag, what, e);
        }
    }
}
