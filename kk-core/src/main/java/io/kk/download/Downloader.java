package io.kk.download;

import io.kk.event.EventSink;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches files over HTTP(S). The one boundary between kk and the sites it downloads from.
 * Implementations are thread-safe; two fetches of the same target at once are not supported.
 */
public interface Downloader {
    /**
     * Fetches {@code url} into {@code target}, verified. The file appears at {@code target} only
     * once complete and matching {@code expectedSha256}; a target already there with that digest is
     * kept and reported as skipped.
     *
     * @param expectedSha256 lower-case hex; null only when the caller verifies the digest itself
     *     from the result (kk never keeps an unchecked file)
     * @param events receives {@link io.kk.event.Progress} in bytes, always ending with a finished one
     * @throws io.kk.error.KkException FAILED on a digest mismatch or an HTTP error, ENVIRONMENT
     *     when the site cannot be reached
     */
    FetchResult fetch(URI url, Path target, String expectedSha256, EventSink events);

    /**
     * Fetches a small text file (a checksum file) into memory; empty when the server answers 404 or
     * 410, so a caller can try the next source.
     */
    Optional<String> fetchSmall(URI url);

    /**
     * Whether the server has {@code url}: false only on 404/410, empty when it cannot tell
     * (unreachable, refused, or a downloader that does not ask). The body is not read.
     */
    default Optional<Boolean> exists(URI url) {
        return Optional.empty();
    }
}
