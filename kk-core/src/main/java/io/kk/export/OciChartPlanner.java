package io.kk.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.kk.artifact.ArtifactPaths;
import io.kk.artifact.ArtifactPiece;
import io.kk.config.Manifest;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.image.Descriptor;
import io.kk.image.ImageReference;
import io.kk.image.Manifests;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plans a chart kept in an OCI registry ({@code repo: oci://registry/path}), as Helm 3.8+ pushes
 * it: a manifest tagged with the chart's version (Helm writes a SemVer {@code +} as {@code _}) at
 * {@code <registry>/<path>/<name>}, whose config is the chart's metadata ({@link #CONFIG}) and
 * whose one layer is the chart package ({@link #CONTENT}). The layer becomes the piece at {@code
 * charts/<name>-<version>.tgz}, fetched by the writer like an image blob (digest verified, resumed
 * with Range), so the artifact holds the same bytes {@code helm pull} would. Only manifests and
 * the small config are read here; the registry's auth comes from spec.registry.auths.
 */
final class OciChartPlanner {
    static final String CONFIG = "application/vnd.cncf.helm.config.v1+json";
    static final String CONTENT = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    /** Helm 3.0-3.7's experimental OCI support pushed the package with this type. */
    static final String LEGACY_CONTENT = "application/tar+gzip";

    private static final int MAX_CONFIG = 1 << 20;

    private final RegistryCredentials credentials;
    private final EventSink events;
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    OciChartPlanner(RegistryCredentials credentials, EventSink events) {
        this.credentials = credentials;
        this.events = events;
    }

    /**
     * @param at where the chart is in the Manifest, for messages ({@code spec.charts[2]})
     */
    ArtifactPiece plan(Manifest.Chart c, String at) {
        String rest = c.repo().substring("oci://".length()).replaceAll("/+$", "");
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String repository = (slash < 0 ? "" : rest.substring(slash + 1) + "/") + c.name();
        String where = "oci://" + host + "/" + repository;
        String what =
                "chart " + c.name() + (c.version().isEmpty() ? "" : " " + c.version()) + " (" + at + ", " + where + ")";
        RegistryClient client = clients.computeIfAbsent(
                ImageReference.normaliseRegistry(host),
                r -> new RegistryClient(r, credentials.forHost(r), RegistryClient.Options.DEFAULT));
        String version = c.version().isEmpty() ? newestTag(client, repository, what) : c.version();
        String tag = version.replace('+', '_');
        // HEAD is empty on a 404, and on the rare registry that sends no digest header: the tag list decides
        List<String> tags =
                client.headManifest(repository, tag).isPresent() ? List.of(tag) : tagsOrEmpty(client, repository);
        if (!tags.contains(tag)) {
            throw KkException.invalidInput(
                    what + ": the registry has no tag " + tag,
                    tags.isEmpty()
                            ? "check " + at + ".repo and .name (the chart is looked up at " + where + ")"
                            : "it has "
                                    + String.join(", ", tags.stream().limit(10).toList())
                                    + (tags.size() > 10 ? ", ..." : "") + "; fix " + at + ".version");
        }
        Manifests.Manifest m = client.getManifest(repository, tag);
        if (m.isIndex()) {
            throw KkException.invalidInput(
                    what + ": " + where + ":" + tag + " is an image index, not a Helm chart",
                    "check " + at + ".repo: a Helm chart is pushed with helm push");
        }
        List<Descriptor> blobs = m.blobs();
        Descriptor config = blobs.isEmpty() ? null : blobs.get(0);
        List<Descriptor> content = blobs.stream()
                .skip(1)
                .filter(d -> CONTENT.equals(d.mediaType()) || LEGACY_CONTENT.equals(d.mediaType()))
                .toList();
        if (config == null || !CONFIG.equals(config.mediaType()) || content.size() != 1) {
            throw KkException.invalidInput(
                    what + ": " + where + ":" + tag + " is not a Helm chart (config "
                            + (config == null ? "none" : config.mediaType()) + ", " + content.size()
                            + " chart layers; Helm's has config " + CONFIG + " and one " + CONTENT + ")",
                    "check " + at + ".repo: a Helm chart is pushed with helm push");
        }
        checkMetadata(client, repository, config, c.name(), version, what);
        Descriptor layer = content.get(0);
        if (layer.size() < 0 || !layer.digest().startsWith("sha256:")) {
            throw KkException.failed(
                    what + ": its chart layer has no size or no sha256 digest (" + layer.digest() + ")",
                    "the registry serves an invalid manifest");
        }
        return ArtifactPiece.file(
                ArtifactPaths.chart(c.name(), version),
                layer.size(),
                layer.digest().substring("sha256:".length()),
                new RegistryBlobSource(client, repository, layer));
    }

    /** The chart's metadata must name the chart asked for: a wrong path is caught before export. */
    private static void checkMetadata(
            RegistryClient client, String repository, Descriptor config, String name, String version, String what) {
        if (config.size() > MAX_CONFIG) {
            throw KkException.failed(what + ": its chart metadata is " + config.size() + " bytes", "");
        }
        JsonNode meta;
        try (InputStream in = client.openBlob(repository, config)) {
            meta = Manifests.json().readTree(in.readNBytes(MAX_CONFIG));
        } catch (IOException e) {
            throw KkException.failed(what + ": cannot read its chart metadata: " + e.getMessage(), "");
        }
        String actualName = meta.path("name").asText("");
        String actualVersion = meta.path("version").asText("");
        if (!actualName.equals(name) || !actualVersion.equals(version)) {
            throw KkException.invalidInput(
                    what + ": the registry holds chart " + actualName + " " + actualVersion + " there",
                    "check the chart's name and version in the Manifest");
        }
    }

    /** Helm's choice without a version: the highest SemVer tag that is not a pre-release. */
    private String newestTag(RegistryClient client, String repository, String what) {
        List<ChartPlanner.IndexEntry> releases = tagsOrEmpty(client, repository).stream()
                .map(t -> new ChartPlanner.IndexEntry(t.replace('_', '+'), List.of(), ""))
                .toList();
        ChartPlanner.IndexEntry newest = ChartPlanner.newest(releases);
        if (newest == null) {
            throw KkException.invalidInput(
                    what + ": the registry has no release tag for it", "check the repo and name, or give a version");
        }
        events.emit(Note.warn(what + " has no version: packing the newest, " + newest.version()
                + "; pin it in spec.charts for a reproducible artifact"));
        return newest.version();
    }

    private static List<String> tagsOrEmpty(RegistryClient client, String repository) {
        try {
            return client.tags(repository);
        } catch (KkException e) {
            return List.of();
        }
    }
}
