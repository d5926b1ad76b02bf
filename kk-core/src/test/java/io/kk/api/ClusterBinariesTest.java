package io.kk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.catalog.Catalog;
import io.kk.download.DownloadSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which version of a component an unpacked artifact holds, when it holds several. */
class ClusterBinariesTest {
    @TempDir
    Path dir;

    private void place(String component, String version, String arch) throws Exception {
        Path f = dir.resolve(Catalog.builtin()
                .resolve(component, version, arch, DownloadSource.UPSTREAM)
                .artifactPath());
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
    }

    @Test
    void theNewestReleaseWinsOverItsReleaseCandidateAndOlderMinors() throws Exception {
        place("helm", "v3.9.4", "amd64");
        place("helm", "v3.14.0-rc.1", "amd64");
        place("helm", "v3.14.0", "amd64");
        place("helm", "v3.10.0", "amd64");
        // a release candidate used to rank above its release ("rc" read as 0, the release had no 4th part)
        assertThat(ClusterBinaries.versionIn("helm", dir, "amd64")).contains("v3.14.0");
        assertThat(ClusterBinaries.versionIn("helm", dir, "arm64")).isEmpty();
    }
}
