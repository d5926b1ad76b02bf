package io.kk.artifact;

import io.kk.error.KkException;
import java.util.Locale;
import java.util.Objects;

/**
 * One file of the artifact, known before any byte of it is fetched.
 *
 * @param path the path inside the artifact, relative to KubeKey's artifact dir (e.g. {@code
 *     kube/v1.28.2/amd64/kubeadm}, {@code images/blobs/sha256/<hex>})
 * @param size its size in bytes
 * @param sha256 its sha256, lower-case hex
 * @param mode its file mode in the tar (0644, or 0755 for bare executables)
 * @param source where its bytes come from
 */
public record ArtifactPiece(String path, long size, String sha256, int mode, PieceSource source) {
    public ArtifactPiece {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
        sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw KkException.invalidInput(
                    "artifact piece " + path + ": not a sha256: " + sha256, "give the 64 hex digits of its sha256");
        }
        if (size < 0) {
            throw KkException.invalidInput("artifact piece " + path + ": negative size", "");
        }
        String problem = SafePaths.problem(path);
        if (problem != null || !TarHeaders.fits(path)) {
            throw KkException.invalidInput(
                    "artifact piece path " + path + " is not allowed: " + (problem != null ? problem : "too long"),
                    "use a relative path such as kube/<version>/<arch>/<file>");
        }
    }

    /** A regular file, mode 0644. */
    public static ArtifactPiece file(String path, long size, String sha256, PieceSource source) {
        return new ArtifactPiece(path, size, sha256, 0644, source);
    }

    /** An executable file, mode 0755 (kubeadm, kubelet, helm, ...). */
    public static ArtifactPiece executable(String path, long size, String sha256, PieceSource source) {
        return new ArtifactPiece(path, size, sha256, 0755, source);
    }

    /** Content in hand: size and sha256 computed here. */
    public static ArtifactPiece generated(String path, byte[] content) {
        return new ArtifactPiece(
                path,
                content.length,
                Hashing.sha256Hex(content),
                0644,
                PieceSource.bytes(content, "generated " + path));
    }
}
