package io.kk.cli;

import io.kk.download.DownloadSource;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a command downloads from: {@code --download-mirror URL} and KubeKey's {@code KKZONE=cn}
 * environment variable. Mix into a command with {@code @Mixin DownloadOptions download;} and pass
 * {@link #source()} to the core.
 */
public final class DownloadOptions {
    @Option(
            names = "--download-mirror",
            paramLabel = "URL",
            description = "Fetch every file from URL/<upstream host><upstream path> instead of the upstream site"
                    + " (one plain file server standing in for all of them). Env KKZONE=cn uses KubeKey's"
                    + " China mirrors instead.")
    String mirror;

    /** The download source from the options and the process environment. */
    public DownloadSource source() {
        return source(System.getenv());
    }

    DownloadSource source(Map<String, String> environment) {
        return DownloadSource.of(mirror, DownloadSource.Zone.fromKkZone(environment.get("KKZONE")));
    }
}
