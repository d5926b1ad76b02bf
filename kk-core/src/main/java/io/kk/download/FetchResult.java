package io.kk.download;

import java.net.URI;
import java.nio.file.Path;

/**
 * What a {@link Downloader#fetch} did.
 *
 * @param url the URL asked for (before redirects)
 * @param target the file now in place
 * @param sha256 the lower-case hex sha256 of the target (verified when one was expected)
 * @param bytes the size of the target
 * @param outcome downloaded, resumed from a partial file, or skipped because it was already there
 */
public record FetchResult(URI url, Path target, String sha256, long bytes, Outcome outcome) {
    public enum Outcome {
        DOWNLOADED,
        RESUMED,
        SKIPPED
    }
}
