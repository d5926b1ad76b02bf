package io.kk.api;

import io.kk.artifact.ArtifactReader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An artifact given with {@code -a}: a directory is used as it is (already imported); a file is
 * imported into the work dir once (verified as it is unpacked) and reused while it is unchanged.
 */
public final class Artifacts {
    static final String MARKER = ArtifactReader.IMPORTED_MARKER;

    private Artifacts() {}

    /**
     * Where the artifact's files are or will be, without touching anything (for dry runs). A dry
     * run still says that {@code -a} names nothing: it would otherwise plan "from the artifact"
     * and only the real run would find it missing.
     */
    public static Path plannedDir(Path artifact, Path workDir) {
        if (Files.isDirectory(artifact)) {
            return artifact;
        }
        requireFile(artifact);
        return workDir;
    }

    private static void requireFile(Path artifact) {
        if (!Files.isRegularFile(artifact)) {
            throw KkException.invalidInput(
                    "artifact " + artifact + " does not exist",
                    "check the path given with -a: the file `kk artifact export` wrote, or its imported directory");
        }
    }

    /** The directory holding the artifact's files, importing the artifact first when needed. */
    public static Path prepare(Path artifact, Path workDir, EventSink events) {
        if (Files.isDirectory(artifact)) {
            // kk's index is the first file an import writes, the marker the last: with the one and
            // not the other, kk was stopped while importing and files are missing
            if (Files.isRegularFile(artifact.resolve(io.kk.artifact.ArtifactIndex.PATH))
                    && !Files.isRegularFile(artifact.resolve(MARKER))) {
                throw KkException.invalidInput(
                        "artifact directory " + artifact + " is an unfinished import (no " + MARKER
                                + "): kk was stopped while importing into it",
                        "run `kk artifact import -a <artifact file> --dir " + artifact
                                + "` again: it finishes the import");
            }
            return artifact;
        }
        requireFile(artifact);
        try {
            String stamp = stamp(artifact);
            Path marker = workDir.resolve(MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                events.emit(Note.info("artifact " + artifact + " already imported into " + workDir));
                return workDir;
            }
            new ArtifactReader(events).importTo(artifact, workDir); // writes the marker last
            return workDir;
        } catch (IOException e) {
            throw io.kk.error.FileErrors.writing(workDir.resolve(MARKER), "--dir", e);
        }
    }

    /** What identifies the artifact file cheaply: its absolute path, size and modification time. */
    private static String stamp(Path artifact) throws IOException {
        return ArtifactReader.importStamp(artifact);
    }
}
