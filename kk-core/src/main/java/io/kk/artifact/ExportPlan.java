package io.kk.artifact;

import io.kk.error.KkException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything an export will write, decided before any byte is fetched: the pieces in tar order
 * with their sizes and sha256s, the images, the manifest and the creation time.
 *
 * @param created written into the index and used as every entry's mtime
 * @param kkVersion the version of kk writing the artifact
 * @param manifest the Manifest text, copied into the index
 * @param pieces the data files in tar order
 * @param images the images in the OCI layout (for inspect), may be empty
 */
public record ExportPlan(
        Instant created, String kkVersion, String manifest, List<ArtifactPiece> pieces, List<ImageEntry> images) {
    public ExportPlan {
        Objects.requireNonNull(created, "created");
        kkVersion = kkVersion == null ? "" : kkVersion;
        manifest = manifest == null ? "" : manifest;
        pieces = List.copyOf(pieces);
        images = List.copyOf(images == null ? List.of() : images);
        Set<String> seen = new HashSet<>();
        for (ArtifactPiece p : pieces) {
            if (p.path().startsWith("kk/")) {
                throw KkException.invalidInput(
                        "artifact piece " + p.path() + " is inside kk/, which holds kk's own index", "");
            }
            if (!seen.add(p.path())) {
                throw KkException.invalidInput("artifact piece " + p.path() + " is planned twice", "");
            }
        }
    }

    /** The index this plan writes. */
    public ArtifactIndex index() {
        return new ArtifactIndex(
                ArtifactIndex.FORMAT_VERSION,
                kkVersion,
                created.toString(),
                manifest,
                pieces.stream()
                        .map(p -> new ArtifactIndex.IndexedFile(p.path(), p.size(), p.sha256()))
                        .toList(),
                images);
    }

    /** Bytes of all data files (before compression). */
    public long totalBytes() {
        return pieces.stream().mapToLong(ArtifactPiece::size).sum();
    }
}
