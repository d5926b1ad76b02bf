package io.kk.artifact;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@code kk artifact verify}.
 *
 * @param file the artifact
 * @param kkIndex true when files were checked against kk's index; false for a KubeKey artifact,
 *     where only blob digests can be checked
 * @param filesChecked files read
 * @param blobsChecked image blobs whose digest was checked against their name
 * @param bytesChecked bytes read, uncompressed
 * @param mismatches every problem found, in tar order; empty when the artifact is sound
 * @param signedSha256 the artifact's sha256 when a signature was checked, else empty
 */
public record VerifyReport(
        Path file,
        boolean kkIndex,
        int filesChecked,
        int blobsChecked,
        long bytesChecked,
        List<Mismatch> mismatches,
        String signedSha256) {

    /** One problem: the entry and what is wrong with it. */
    public record Mismatch(String path, String problem) {}

    public VerifyReport {
        mismatches = List.copyOf(mismatches);
    }

    public boolean ok() {
        return mismatches.isEmpty();
    }
}
