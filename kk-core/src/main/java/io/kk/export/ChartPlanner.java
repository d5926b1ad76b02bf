package io.kk.export;

import io.kk.artifact.ArtifactPaths;
import io.kk.artifact.ArtifactPiece;
import io.kk.artifact.HttpPieceSource;
import io.kk.artifact.PieceSource;
import io.kk.config.Manifest;
import io.kk.download.DownloadSource;
import io.kk.download.Downloader;
import io.kk.download.FetchResult;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Plans the Helm charts of a Manifest's {@code spec.charts} (kk's extension) as artifact pieces at
 * {@link ArtifactPaths#chart}. A repository chart is looked up in the repository's index.yaml
 * (name + version -> URL and digest); its bytes are fetched later by the artifact writer like any
 * other piece (staged, verified against the digest, journaled). A chart whose index gives no digest
 * is checked against {@code spec.checksums} ({@code <name>-<version>.tgz}) when that has one;
 * otherwise it is downloaded while planning, hashed and packed with a warning (see {@link
 * #unpinnedChart}). A local .tgz is read in place; its Chart.yaml names it when the Manifest does not.
 */
final class ChartPlanner {
    private static final Pattern SEMVER =
            Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern SHA256 = Pattern.compile("(?:sha256:)?([0-9a-fA-F]{64})");
    private static final long MAX_CHART_YAML = 1 << 20;

    private final DownloadSource source;
    private final Downloader downloader;
    private final HttpClient http;
    private final EventSink events;
    private final Map<String, Map<String, List<IndexEntry>>> indexes = new HashMap<>();
    private final OciChartPlanner oci;

    ChartPlanner(DownloadSource source, Downloader downloader, HttpClient http, EventSink events) {
        this(source, downloader, http, RegistryCredentials.none(), events);
    }

    /** @param credentials for charts in OCI registries (spec.registry.auths) */
    ChartPlanner(
            DownloadSource source,
            Downloader downloader,
            HttpClient http,
            RegistryCredentials credentials,
            EventSink events) {
        this.source = source;
        this.downloader = downloader;
        this.http = http;
        this.events = events;
        this.oci = new OciChartPlanner(credentials, events);
    }

    /** One release of a chart in a repository's index.yaml. */
    record IndexEntry(String version, List<String> urls, String digest) {}

    /** The pieces for every chart, in the Manifest's order. */
    List<ArtifactPiece> plan(
            List<Manifest.Chart> charts,
            Map<String, String> checksums,
            Path manifestDir,
            Path work,
            LocalHashes localHashes) {
        List<ArtifactPiece> pieces = new ArrayList<>();
        for (int i = 0; i < charts.size(); i++) {
            Manifest.Chart c = charts.get(i);
            if (!c.path().isEmpty()) {
                pieces.add(localChart(c, checksums, manifestDir, localHashes));
            } else if (c.repo().regionMatches(true, 0, "oci://", 0, 6)) {
                pieces.add(oci.plan(c, "spec.charts[" + i + "]"));
            } else {
                pieces.add(repositoryChart(c, checksums, work));
            }
        }
        return pieces;
    }

    private ArtifactPiece repositoryChart(Manifest.Chart c, Map<String, String> checksums, Path work) {
        String base = c.repo().endsWith("/") ? c.repo() : c.repo() + "/";
        List<IndexEntry> releases = index(base, work).get(c.name());
        if (releases == null || releases.isEmpty()) {
            throw KkException.invalidInput(
                    "chart " + c.name() + ": the repository " + c.repo() + " has no chart of that name",
                    "check spec.charts[].name and repo (helm search repo " + c.name() + ")");
        }
        IndexEntry release = c.version().isEmpty() ? newest(releases) : exact(releases, c.version());
        if (release == null) {
            throw KkException.invalidInput(
                    "chart " + c.name() + ": the repository " + c.repo() + " has no "
                            + (c.version().isEmpty() ? "release" : "version " + c.version()),
                    "it has "
                            + String.join(
                                    ", ",
                                    releases.stream()
                                            .map(IndexEntry::version)
                                            .limit(10)
                                            .toList()) + (releases.size() > 10 ? ", ..." : ""));
        }
        if (c.version().isEmpty()) {
            events.emit(Note.warn("chart " + c.name() + " has no version: packing the newest, " + release.version()
                    + "; pin it in spec.charts for a reproducible artifact"));
        }
        if (release.urls().isEmpty()) {
            throw KkException.failed(
                    "chart " + c.name() + " " + release.version() + ": the index of " + c.repo() + " lists no URL",
                    "the repository's index.yaml is incomplete");
        }
        String path = ArtifactPaths.chart(c.name(), release.version());
        String fileName = c.name() + "-" + release.version() + ".tgz";
        String sha = sha256(release.digest());
        if (sha == null) {
            for (String key : List.of(fileName, path)) {
                if (checksums.containsKey(key)) {
                    sha = sha256(checksums.get(key));
                    break;
                }
            }
        }
        URI url = source.map(URI.create(base).resolve(release.urls().get(0)));
        if (sha == null) {
            return unpinnedChart(c, release, url, path, fileName, work);
        }
        HttpPieceSource src = new HttpPieceSource(http, url);
        long size;
        try {
            size = src.probeSize();
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot reach " + src.describe() + " for chart " + c.name() + ": " + io.kk.error.Causes.describe(e),
                    "check the network, the repository or --download-mirror");
        }
        return ArtifactPiece.file(path, size, sha, src);
    }

    /**
     * A chart whose index entry has no digest (and spec.checksums none): Helm installs such a
     * chart unchecked, so kk packs it, but it downloads the package now, hashes it, checks that it
     * is the chart asked for (its Chart.yaml), and says so: the digest recorded in the artifact is
     * the one of this download, not a published one. The downloaded file is the piece's source, so
     * the export (and its resume) reads it instead of downloading it again.
     */
    private ArtifactPiece unpinnedChart(
            Manifest.Chart c, IndexEntry release, URI url, String path, String fileName, Path work) {
        Path file = work.resolve("charts").resolve(fileName);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw KkException.environment("cannot write " + file + ": " + e.getMessage(), "", e);
        }
        FetchResult got = downloader.fetch(url, file, null, EventSink.NONE);
        Map<String, String> chartYaml = chartYaml(file);
        String version = chartYaml.getOrDefault("version", "");
        if (!c.name().equals(chartYaml.get("name"))
                || !(version.equals(release.version()) || exact(List.of(release), version) != null)) {
            throw KkException.failed(
                    "chart " + c.name() + " " + release.version() + ": " + url + " is not that chart (its Chart.yaml"
                            + " says " + chartYaml.getOrDefault("name", "no name") + " "
                            + chartYaml.getOrDefault("version", "no version") + ")",
                    "the repository's index.yaml points at the wrong package");
        }
        events.emit(Note.warn("chart " + c.name() + " " + release.version() + ": the index of " + c.repo()
                + " gives no digest; packed with the sha256 of its download, " + got.sha256()
                + " (recorded in the artifact's index; not checked against a published digest: add spec.checksums:"
                + " {\"" + fileName + "\": \"sha256:" + got.sha256() + "\"} to pin it)"));
        return ArtifactPiece.file(path, got.bytes(), got.sha256(), PieceSource.file(got.target()));
    }

    /** The repository's index.yaml, fetched once per repository into {@code work}. */
    private Map<String, List<IndexEntry>> index(String base, Path work) {
        Map<String, List<IndexEntry>> cached = indexes.get(base);
        if (cached != null) {
            return cached;
        }
        URI url = source.map(URI.create(base).resolve("index.yaml"));
        Path file = work.resolve("chart-index-" + Integer.toHexString(base.hashCode()) + ".yaml");
        try {
            Files.createDirectories(work);
            Files.deleteIfExists(file);
            // The index changes as the repository grows: there is no digest to check it against.
            downloader.fetch(url, file, null, EventSink.NONE);
            Map<String, List<IndexEntry>> parsed = parseIndex(file, base);
            Files.deleteIfExists(file);
            indexes.put(base, parsed);
            return parsed;
        } catch (IOException e) {
            throw KkException.environment("cannot write " + file + ": " + e.getMessage(), "", e);
        }
    }

    static Map<String, List<IndexEntry>> parseIndex(Path file, String repo) throws IOException {
        LoaderOptions options = new LoaderOptions();
        // Public repositories' indexes run to tens of MB; snakeyaml's default limit is 3 MB.
        options.setCodePointLimit(Integer.MAX_VALUE);
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(options)).load(in);
        } catch (YAMLException e) {
            throw KkException.failed(
                    "the index.yaml of " + repo + " is not valid YAML: " + e.getMessage(),
                    "check the repository URL (it must be where index.yaml is)");
        }
        if (!(root instanceof Map<?, ?> m) || !(m.get("entries") instanceof Map<?, ?> entries)) {
            throw KkException.failed(
                    "the index.yaml of " + repo + " has no entries", "check the repository URL (a Helm repository)");
        }
        Map<String, List<IndexEntry>> out = new HashMap<>();
        entries.forEach((name, list) -> {
            List<IndexEntry> releases = new ArrayList<>();
            if (list instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> e && e.get("version") != null) {
                        List<String> urls = e.get("urls") instanceof List<?> u
                                ? u.stream().map(String::valueOf).toList()
                                : List.of();
                        Object digest = e.get("digest");
                        releases.add(new IndexEntry(
                                String.valueOf(e.get("version")), urls, digest == null ? "" : String.valueOf(digest)));
                    }
                }
            }
            out.put(String.valueOf(name), releases);
        });
        return out;
    }

    private static IndexEntry exact(List<IndexEntry> releases, String version) {
        String bare = version.startsWith("v") ? version.substring(1) : version;
        for (IndexEntry e : releases) {
            String v = e.version().startsWith("v") ? e.version().substring(1) : e.version();
            if (e.version().equals(version) || v.equals(bare)) {
                return e;
            }
        }
        return null;
    }

    /** Helm's choice for no version: the highest SemVer release that is not a pre-release. */
    static IndexEntry newest(List<IndexEntry> releases) {
        IndexEntry best = null;
        for (IndexEntry e : releases) {
            Matcher m = SEMVER.matcher(e.version());
            if (!m.matches() || m.group(4) != null) {
                continue;
            }
            if (best == null || compare(e.version(), best.version()) > 0) {
                best = e;
            }
        }
        return best;
    }

    static int compare(String a, String b) {
        Matcher x = SEMVER.matcher(a);
        Matcher y = SEMVER.matcher(b);
        if (!x.matches() || !y.matches()) {
            return a.compareTo(b);
        }
        for (int g = 1; g <= 3; g++) {
            long p = x.group(g) == null ? 0 : Long.parseLong(x.group(g));
            long q = y.group(g) == null ? 0 : Long.parseLong(y.group(g));
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        if (x.group(4) == null || y.group(4) == null) {
            return x.group(4) == null ? (y.group(4) == null ? 0 : 1) : -1;
        }
        return x.group(4).compareTo(y.group(4));
    }

    private ArtifactPiece localChart(
            Manifest.Chart c, Map<String, String> checksums, Path manifestDir, LocalHashes localHashes) {
        Path file = manifestDir.resolve(c.path());
        if (Files.isDirectory(file)) {
            throw KkException.invalidInput(
                    "chart " + file + " is a directory",
                    "package it first (helm package " + file + ") and give the .tgz");
        }
        if (!Files.isRegularFile(file)) {
            throw KkException.invalidInput(
                    "chart " + file + " does not exist",
                    "fix spec.charts[].path (relative paths start at the Manifest)");
        }
        Map<String, String> chartYaml = chartYaml(file);
        String name = chartYaml.getOrDefault("name", "");
        String version = chartYaml.getOrDefault("version", "");
        if (!c.name().isEmpty() && !name.isEmpty() && !c.name().equals(name)) {
            throw KkException.invalidInput(
                    "chart " + file + " is " + name + ", not " + c.name() + " as spec.charts says",
                    "fix spec.charts[].name, or leave it out to take the chart's own");
        }
        if (!c.version().isEmpty() && !version.isEmpty() && !c.version().equals(version)) {
            throw KkException.invalidInput(
                    "chart " + file + " is version " + version + ", not " + c.version() + " as spec.charts says",
                    "fix spec.charts[].version, or leave it out to take the chart's own");
        }
        name = c.name().isEmpty() ? name : c.name();
        version = c.version().isEmpty() ? version : c.version();
        if (name.isEmpty() || version.isEmpty()) {
            throw KkException.invalidInput(
                    "chart " + file + " has no Chart.yaml with name and version",
                    "give a chart packaged by helm package, or write name and version in spec.charts");
        }
        String path = ArtifactPaths.chart(name, version);
        try {
            String given = null;
            for (String key : List.of(name + "-" + version + ".tgz", path)) {
                if (checksums.containsKey(key)) {
                    given = sha256(checksums.get(key));
                    break;
                }
            }
            // A local file is ours to hash; a given checksum is still checked by the writer.
            String sha = given != null ? given : localHashes.sha256(file);
            return ArtifactPiece.file(path, Files.size(file), sha, PieceSource.file(file));
        } catch (IOException e) {
            throw KkException.environment("cannot read " + file + ": " + e.getMessage(), "", e);
        }
    }

    /** name and version from the chart's {@code <dir>/Chart.yaml}; empty when there is none. */
    static Map<String, String> chartYaml(Path tgz) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            // every entry is judged (the package travels to the hosts and is unpacked there)
            io.kk.artifact.TarEntryCheck check = new io.kk.artifact.TarEntryCheck(tgz.toString());
            Map<String, String> found = null;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String n = check.check(e);
                if (found != null
                        || !io.kk.artifact.TarEntryCheck.isRegularFile(e)
                        || !n.matches("[^/]+/Chart\\.yaml")
                        || e.getSize() > MAX_CHART_YAML) {
                    continue;
                }
                Object root = new Yaml(new SafeConstructor(new LoaderOptions()))
                        .load(new String(tar.readNBytes((int) e.getSize()), StandardCharsets.UTF_8));
                Map<String, String> out = new HashMap<>();
                if (root instanceof Map<?, ?> m) {
                    for (String key : List.of("name", "version")) {
                        if (m.get(key) != null) {
                            out.put(key, String.valueOf(m.get(key)).strip());
                        }
                    }
                }
                found = out;
            }
            return found == null ? Map.of() : found;
        } catch (IOException | YAMLException e) {
            throw KkException.invalidInput(
                    "chart " + tgz + " is not a chart package (.tgz): " + e.getMessage(),
                    "give a chart packaged by helm package");
        }
    }

    private static String sha256(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = SHA256.matcher(value.strip());
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }
}
