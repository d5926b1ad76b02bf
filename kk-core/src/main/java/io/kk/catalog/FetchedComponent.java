package io.kk.catalog;

import io.kk.download.FetchResult;
import java.nio.file.Path;

/**
 * A component file in place under the artifact root, verified.
 *
 * @param file what was fetched
 * @param path where it now is ({@code <root>/<artifactPath>})
 * @param sha256 the digest of the file at {@code path}: what an artifact's index (lock) records,
 *     so import and deploy re-verify against it
 * @param checksum the digest kk trusted and where it came from (for helm from a release checksum
 *     file, the tarball's, not {@link #sha256})
 * @param outcome downloaded, resumed or skipped
 */
public record FetchedComponent(
        ComponentFile file, Path path, String sha256, Checksum checksum, FetchResult.Outcome outcome) {}
