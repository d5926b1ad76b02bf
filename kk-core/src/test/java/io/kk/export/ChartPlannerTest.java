package io.kk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.artifact.ArtifactPiece;
import io.kk.config.Manifest;
import io.kk.download.DownloadSource;
import io.kk.download.HttpDownloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPlannerTest {
    @TempDir
    Path tmp;

    private final ChartPlanner planner = new ChartPlanner(
            DownloadSource.UPSTREAM,
            HttpDownloader.standard(),
            java.net.http.HttpClient.newHttpClient(),
            EventSink.NONE);

    @Test
    void newestIsTheHighestReleaseNotAPreRelease() {
        List<ChartPlanner.IndexEntry> releases =
                List.of(entry("1.9.0"), entry("1.10.0"), entry("2.0.0-rc.1"), entry("1.10.0-beta"), entry("0.99.1"));
        assertThat(ChartPlanner.newest(releases).version()).isEqualTo("1.10.0");
        assertThat(ChartPlanner.compare("v1.2.3", "1.2.4")).isNegative();
        assertThat(ChartPlanner.compare("1.2.3", "1.2.3-rc.1")).isPositive();
    }

    @Test
    void parsesAHelmIndexWithUnquotedVersionsAndDigests() throws Exception {
        Path index = Files.writeString(
                tmp.resolve("index.yaml"),
                """
                apiVersion: v1
                entries:
                  a:
                  - {name: a, version: 1.0, digest: abc, urls: [a-1.0.tgz]}
                  - {name: a, version: 0.9.1, urls: ["https://x.io/a-0.9.1.tgz"]}
                generated: "2026-01-01T00:00:00Z"
                """);
        Map<String, List<ChartPlanner.IndexEntry>> parsed = ChartPlanner.parseIndex(index, "https://x.io");
        assertThat(parsed.get("a"))
                .containsExactly(
                        new ChartPlanner.IndexEntry("1.0", List.of("a-1.0.tgz"), "abc"),
                        new ChartPlanner.IndexEntry("0.9.1", List.of("https://x.io/a-0.9.1.tgz"), ""));
    }

    @Test
    void aLocalTgzIsNamedByItsChartYamlAndHashedInPlace() throws Exception {
        Path tgz = chart(tmp.resolve("any-name.tgz"), "redis", "17.3.2");
        List<ArtifactPiece> pieces = planner.plan(
                List.of(new Manifest.Chart("", "", "", "any-name.tgz")),
                Map.of(),
                tmp,
                tmp.resolve("w"),
                new LocalHashes(null));
        assertThat(pieces).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("charts/redis-17.3.2.tgz");
            assertThat(p.size()).isEqualTo(Files.size(tgz));
            assertThat(p.sha256()).isEqualTo(sha256(tgz));
            assertThat(p.source().local()).contains(tgz);
        });
    }

    @Test
    void aLocalTgzWhoseChartYamlDisagreesWithTheManifestIsRefused() throws Exception {
        chart(tmp.resolve("c.tgz"), "redis", "17.3.2");
        assertThatThrownBy(() -> planner.plan(
                        List.of(new Manifest.Chart("redis", "", "18.0.0", "c.tgz")),
                        Map.of(),
                        tmp,
                        tmp,
                        new LocalHashes(null)))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("is version 17.3.2, not 18.0.0");
        Files.createDirectories(tmp.resolve("dir"));
        assertThatThrownBy(() -> planner.plan(
                        List.of(new Manifest.Chart("", "", "", "dir")), Map.of(), tmp, tmp, new LocalHashes(null)))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void aChartPackageWithAnEntryOutsideItsFolderIsRefusedNamingIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path tgz = dir.resolve("evil-1.0.0.tgz");
        try (OutputStream o = Files.newOutputStream(tgz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(o))) {
            byte[] y = "name: evil\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("evil/Chart.yaml");
            e.setSize(y.length);
            tar.putArchiveEntry(e);
            tar.write(y);
            tar.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("evil/templates", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../../etc");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> ChartPlanner.chartYaml(tgz))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(tgz + ": refusing entry evil/templates: symlink to ../../../etc");
    }

    private static ChartPlanner.IndexEntry entry(String version) {
        return new ChartPlanner.IndexEntry(version, List.of(), "");
    }

    private static Path chart(Path out, String name, String version) throws Exception {
        byte[] chartYaml =
                ("apiVersion: v2\nname: " + name + "\nversion: " + version + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream o = Files.newOutputStream(out);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(o))) {
            TarArchiveEntry e = new TarArchiveEntry(name + "/Chart.yaml");
            e.setSize(chartYaml.length);
            tar.putArchiveEntry(e);
            tar.write(chartYaml);
            tar.closeArchiveEntry();
        }
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
