package io.kk.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.download.HttpDownloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHashesTest {
    @Test
    void aResumedExportTakesTheHashFromTheCacheUntilSizeOrMtimeChange(@TempDir Path tmp) throws Exception {
        Path iso = Files.writeString(tmp.resolve("repo.iso"), "first content");
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(iso, mtime);
        String first = new LocalHashes(tmp.resolve("prefetch")).sha256(iso);
        assertThat(first).isEqualTo(HttpDownloader.sha256(iso));

        // same size and mtime: a new run (a new LocalHashes) trusts the cache and does not read the file
        Files.writeString(iso, "other content");
        Files.setLastModifiedTime(iso, mtime);
        assertThat(new LocalHashes(tmp.resolve("prefetch")).sha256(iso)).isEqualTo(first);

        // touched: hashed again
        Files.setLastModifiedTime(iso, FileTime.fromMillis(mtime.toMillis() + 1000));
        assertThat(new LocalHashes(tmp.resolve("prefetch")).sha256(iso)).isEqualTo(HttpDownloader.sha256(iso));
    }
}
