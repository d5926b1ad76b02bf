package io.kk.export;

import io.kk.artifact.ArtifactPaths;
import io.kk.artifact.ArtifactPiece;
import io.kk.artifact.ExportPlan;
import io.kk.artifact.HttpPieceSource;
import io.kk.artifact.PieceSource;
import io.kk.catalog.Catalog;
import io.kk.catalog.Checksum;
import io.kk.catalog.ChecksumResolver;
import io.kk.catalog.ComponentFetcher;
import io.kk.catalog.ComponentFile;
import io.kk.catalog.FetchedComponent;
import io.kk.config.Manifest;
import io.kk.download.DownloadSource;
import io.kk.download.Downloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.event.Progress;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a Manifest into an {@link ExportPlan}: binaries per component x version x arch, OS ISOs,
 * Helm charts ({@link ChartPlanner}), then the images' OCI layout. Nothing is downloaded except checksum files, manifests, and (for
 * helm, whose upstream ships a tarball while the artifact keeps the bare binary) the helm tarball,
 * which is extracted into {@code prefetchDir} so its size and digest are known.
 */
public final class ExportPlanner {
    private static final Pattern PREFIXED = Pattern.compile("sha256:([0-9a-fA-F]{64})");

    private final Catalog catalog;
    private final DownloadSource source;
    private final Downloader downloader;
    private final HttpClient http;
    private final EventSink events;

    public ExportPlanner(Catalog catalog, DownloadSource source, Downloader downloader, EventSink events) {
        this.catalog = catalog;
        this.source = source;
        this.downloader = downloader;
        this.http = HttpPieceSource.defaultClient();
        this.events = events;
    }

    /** What the planner found, for the dry run and the summary. */
    public record Planned(ExportPlan plan, int binaries, int isos, int charts, int images, long imageBlobBytes) {}

    /**
     * @param manifestText the Manifest file's text, copied into the artifact's index
     * @param manifestDir where relative ISO and chart paths are resolved
     * @param prefetchDir where helm is extracted and chart indexes are read while planning
     */
    public Planned plan(
            Manifest manifest,
            String manifestText,
            Path manifestDir,
            Instant created,
            String kkVersion,
            Path prefetchDir) {
        List<ArtifactPiece> pieces = new ArrayList<>();
        List<ComponentFile> files = componentFiles(manifest);
        int n = 0;
        for (ComponentFile f : files) {
            pieces.add(binaryPiece(f, manifest.checksums(), prefetchDir));
            n++;
            events.emit(new Progress(
                    "export/plan-binaries", "Resolving binaries", "files", n, files.size(), n == files.size()));
        }
        int binaries = pieces.size();
        LocalHashes localHashes = new LocalHashes(prefetchDir);
        for (Manifest.OperatingSystem os : manifest.operatingSystems()) {
            ArtifactPiece iso = isoPiece(os, manifest.checksums(), manifestDir, localHashes);
            if (iso != null) {
                pieces.add(iso);
            }
        }
        int isos = pieces.size() - binaries;
        List<ArtifactPiece> charts = new ChartPlanner(source, downloader, http, credentials(manifest), events)
                .plan(manifest.charts(), manifest.checksums(), manifestDir, prefetchDir, localHashes);
        pieces.addAll(charts);
        ImagePlanner images = new ImagePlanner(credentials(manifest), RegistryClient.Options.DEFAULT);
        ImagePlanner.Planned img = images.plan(manifest.images(), imageArches(manifest), events);
        pieces.addAll(img.pieces());
        ExportPlan plan = new ExportPlan(created, kkVersion, manifestText, pieces, img.entries());
        return new Planned(plan, binaries, isos, charts.size(), img.images(), img.blobBytes());
    }

    /** Every component file the Manifest asks for, in a fixed order. */
    List<ComponentFile> componentFiles(Manifest m) {
        List<String> arches = m.arches().stream()
                .map(a -> a.toLowerCase(Locale.ROOT))
                .filter(Catalog.ARCHES::contains)
                .distinct()
                .toList();
        List<String[]> wanted = new ArrayList<>(); // component, version, "all" or "amd64"
        for (Manifest.KubernetesDistribution d : m.kubernetesDistributions()) {
            String type = d.type() == null || d.type().isBlank() ? "kubernetes" : d.type();
            if (type.equals("kubernetes")) {
                for (String bin : List.of("kubeadm", "kubelet", "kubectl")) {
                    wanted.add(new String[] {bin, d.version(), "all"});
                }
            } else if (type.equals("k3s")) {
                wanted.add(new String[] {"k3s", d.version(), "all"});
            } else {
                throw KkException.invalidInput(
                        "kubernetesDistributions: type '" + type + "' cannot be exported yet",
                        "use type kubernetes or k3s");
            }
        }
        Manifest.Components c = m.components();
        if (c != null) {
            add(wanted, "helm", c.helm());
            add(wanted, "kubecni", c.cni());
            add(wanted, "etcd", c.etcd());
            add(wanted, "calicoctl", c.calicoctl());
            add(wanted, "crictl", c.crictl());
            boolean containerd = false;
            for (Manifest.ContainerRuntime r : c.containerRuntimes()) {
                String type = r.type() == null ? "" : r.type();
                switch (type) {
                    case "docker" -> wanted.add(new String[] {"docker", version("docker", r.version()), "all"});
                    case "containerd" -> {
                        wanted.add(new String[] {"containerd", version("containerd", r.version()), "all"});
                        containerd = true;
                    }
                    default -> throw KkException.invalidInput(
                            "containerRuntimes: type '" + type + "' is not supported", "use docker or containerd");
                }
            }
            if (containerd || c.runc() != null) {
                // containerd brings runc (KubeKey: at its default version; kk: components.runc if set)
                wanted.add(new String[] {
                    "runc", version("runc", c.runc() == null ? null : c.runc().version()), "all"
                });
            }
            if (c.dockerRegistry() != null) {
                wanted.add(new String[] {
                    "registry", version("registry", c.dockerRegistry().version()), "all"
                });
            }
            if (c.harbor() != null) {
                wanted.add(new String[] {"harbor", version("harbor", c.harbor().version()), "amd64"});
            }
            if (c.dockerCompose() != null) {
                wanted.add(new String[] {
                    "compose", version("compose", c.dockerCompose().version()), "amd64"
                });
            }
        }
        List<ComponentFile> files = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String[] w : wanted) {
            for (String arch : arches) {
                if (w[2].equals("amd64") && !arch.equals("amd64")) {
                    continue;
                }
                ComponentFile f = catalog.resolve(w[0], w[1], arch, source);
                if (seen.add(f.artifactPath())) {
                    files.add(f);
                }
            }
        }
        return files;
    }

    private void add(List<String[]> wanted, String component, Manifest.Component c) {
        if (c != null) {
            wanted.add(new String[] {component, version(component, c.version()), "all"});
        }
    }

    private String version(String component, String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        return catalog.defaultVersion(component)
                .orElseThrow(() -> KkException.invalidInput(
                        "components: " + component + " has no version and kk has no default for it",
                        "write its version in the Manifest"));
    }

    private ArtifactPiece binaryPiece(ComponentFile f, Map<String, String> checksums, Path prefetchDir) {
        Checksum checksum = new ChecksumResolver(downloader, events).resolve(f, checksums);
        if (f.archiveMember().isPresent()) {
            // The artifact keeps the extracted binary: fetch and extract it now to learn size and digest.
            FetchedComponent got = new ComponentFetcher(downloader, new ChecksumResolver(downloader, events))
                    .fetch(f, prefetchDir, checksums, events);
            try {
                return ArtifactPiece.executable(
                        f.artifactPath(), Files.size(got.path()), got.sha256(), PieceSource.file(got.path()));
            } catch (IOException e) {
                throw KkException.environment("cannot read " + got.path() + ": " + e.getMessage(), "", e);
            }
        }
        HttpPieceSource src = new HttpPieceSource(http, f.url());
        long size;
        try {
            size = probe(src, f.fileName());
        } catch (KkException e) {
            if (downloader.exists(f.url()).equals(java.util.Optional.of(false))) {
                throw ChecksumResolver.notPublished(f);
            }
            throw e;
        }
        boolean executable = !f.fileName().endsWith(".tar.gz") && !f.fileName().endsWith(".tgz");
        return executable
                ? ArtifactPiece.executable(f.artifactPath(), size, checksum.sha256(), src)
                : ArtifactPiece.file(f.artifactPath(), size, checksum.sha256(), src);
    }

    private static long probe(HttpPieceSource src, String what) {
        try {
            return src.probeSize();
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot reach " + src.describe() + " for " + what + ": " + io.kk.error.Causes.describe(e),
                    "check the network or --download-mirror; set KKZONE=cn for KubeKey's China mirrors");
        }
    }

    private ArtifactPiece isoPiece(
            Manifest.OperatingSystem os, Map<String, String> checksums, Path manifestDir, LocalHashes localHashes) {
        Manifest.Iso iso = os.iso();
        if (iso == null || (blank(iso.localPath()) && blank(iso.url()))) {
            events.emit(Note.info("operatingSystems " + os.id() + " " + os.version() + " " + os.arch()
                    + ": no repository ISO (no localPath, no url)"));
            return null;
        }
        String path = ArtifactPaths.repositoryIso(os.arch(), os.id(), os.version());
        String given = !blank(iso.checksum()) ? iso.checksum() : null;
        String name = !blank(iso.localPath())
                ? Path.of(iso.localPath()).getFileName().toString()
                : URI.create(iso.url()).getPath().replaceAll(".*/", "");
        if (given == null) {
            for (String key : List.of(path, name)) {
                if (checksums.containsKey(key)) {
                    given = checksums.get(key);
                    break;
                }
            }
        }
        String sha = given == null ? null : sha256Of(given, path);
        if (!blank(iso.localPath())) {
            Path file = manifestDir.resolve(iso.localPath());
            if (!Files.isRegularFile(file)) {
                throw KkException.invalidInput(
                        "operatingSystems " + os.id() + " " + os.version() + " " + os.arch() + ": the ISO " + file
                                + " does not exist",
                        "fix repository.iso.localPath, or give repository.iso.url instead");
            }
            try {
                // A local file is ours to hash; a given checksum is still checked by the writer.
                String actual = sha != null ? sha : localHashes.sha256(file);
                if (sha == null) {
                    events.emit(Note.info("operatingSystems " + os.id() + " " + os.version() + " " + os.arch()
                            + ": the ISO " + file + " has no checksum; packed with its own sha256 " + actual
                            + " (recorded in the index; not verified against a published checksum: add"
                            + " repository.iso.checksum to pin it)"));
                }
                return ArtifactPiece.file(path, Files.size(file), actual, PieceSource.file(file));
            } catch (IOException e) {
                throw KkException.environment("cannot read " + file + ": " + e.getMessage(), "", e);
            }
        }
        if (sha == null) {
            throw KkException.invalidInput(
                    "no sha256 for the ISO " + name + " (" + os.id() + " " + os.version() + " " + os.arch() + ", "
                            + iso.url() + ")",
                    "add repository.iso.checksum: sha256:<hex> to the operatingSystems entry, or to the Manifest:"
                            + " spec.checksums: {\"" + name + "\": \"sha256:<hex>\"}, or download it and give"
                            + " repository.iso.localPath");
        }
        HttpPieceSource src = new HttpPieceSource(http, source.map(URI.create(iso.url())));
        return ArtifactPiece.file(path, probe(src, name), sha, src);
    }

    private static String sha256Of(String value, String what) {
        String v = value.strip();
        var m = PREFIXED.matcher(v);
        if (m.matches()) {
            return m.group(1).toLowerCase(Locale.ROOT);
        }
        if (v.matches("[0-9a-fA-F]{64}")) {
            return v.toLowerCase(Locale.ROOT);
        }
        throw KkException.invalidInput(
                "the checksum of " + what + " ('" + v + "') is not sha256:<64 hex digits>", "write sha256:<hex>");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Image arches: every entry of spec.arches (arm/v7 included). */
    private static List<String> imageArches(Manifest m) {
        return m.arches().isEmpty() ? List.of("amd64") : m.arches();
    }

    /** spec.registry.auths as the image engine's credentials, docker's config.json as fallback. */
    static RegistryCredentials credentials(Manifest m) {
        Map<String, RegistryAuth> auths = new LinkedHashMap<>();
        m.registryAuths()
                .forEach((host, a) -> auths.put(
                        host,
                        new RegistryAuth(
                                a.username(),
                                a.password(),
                                a.skipTLSVerify() || a.plainHTTP(),
                                a.plainHTTP(),
                                caFile(a))));
        return RegistryCredentials.of(auths)
                .orElse(RegistryCredentials.fromDockerConfig(RegistryCredentials.defaultDockerConfig()));
    }

    private static Path caFile(io.kk.config.RegistryAuth a) {
        if (!blank(a.caFile())) {
            return Path.of(a.caFile());
        }
        if (!blank(a.certsPath())) {
            try (var files = Files.list(Path.of(a.certsPath()))) {
                return files.filter(f -> f.toString().endsWith(".crt"))
                        .sorted()
                        .findFirst()
                        .orElse(null);
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }
}
