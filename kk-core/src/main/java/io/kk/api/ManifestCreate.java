package io.kk.api;

import io.kk.catalog.Catalog;
import io.kk.cluster.addons.KubeSphereFiles;
import io.kk.cluster.addons.KubeSphereImages;
import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import io.kk.cluster.network.CniManifests;
import io.kk.cluster.network.NetworkSettings;
import io.kk.config.ClusterConfig;
import io.kk.config.Manifest;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.scan.ClusterInventory;
import io.kk.scan.ClusterScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kk create manifest} (KubeKey v3.1 semantics): from Kubernetes versions or a Cluster config,
 * the components at kk's defaults and the images that version needs; from a live cluster
 * (kubeconfig), what its nodes and pods report.
 */
public final class ManifestCreate {
    private ManifestCreate() {}

    /**
     * @param kubernetesVersions versions for {@code --with-kubernetes}; empty for the config's or
     *     the default
     * @param config a Cluster config, or null
     * @param kubeconfig a kubeconfig to scan a live cluster with, or null
     * @param arches for versions/config; empty means amd64 (a scan takes the nodes' arches)
     * @param withRegistry also list docker-registry (KubeKey's {@code --with-registry})
     * @param output the file, or null for {@code manifest-<name>.yaml}
     * @param overwrite replace an existing file
     * @param withLocalStorage also list OpenEBS local PV's images ({@code --with-local-storage}); they
     *     are listed anyway for a config with KubeSphere, as KubeKey does
     * @param withKubeSphere {@code --with-kubesphere [version]}: null when not given, "" for the
     *     config's or the default version; a config that enables KubeSphere lists it anyway
     */
    public record Request(
            String name,
            List<String> kubernetesVersions,
            Path config,
            Path kubeconfig,
            List<String> arches,
            boolean withRegistry,
            Path output,
            boolean overwrite,
            boolean withLocalStorage,
            String withKubeSphere) {
        public Request(
                String name,
                List<String> kubernetesVersions,
                Path config,
                Path kubeconfig,
                List<String> arches,
                boolean withRegistry,
                Path output,
                boolean overwrite) {
            this(name, kubernetesVersions, config, kubeconfig, arches, withRegistry, output, overwrite, false, null);
        }
    }

    public record Created(Path file, Manifest manifest) {}

    /** KubeKey's default output name. */
    public static Path defaultFile(String name) {
        return Path.of("manifest-" + name + ".yaml");
    }

    public static Created create(Request r, EventSink events) {
        String name = r.name() == null || r.name().isBlank() ? "sample" : r.name();
        Path out = r.output() != null ? r.output() : defaultFile(name);
        if (Files.isDirectory(out)) {
            throw KkException.invalidInput(out + " is a directory", "give a file name with -o");
        }
        if (Files.exists(out) && !r.overwrite()) {
            throw KkException.invalidInput(out + " already exists", "pass --yes to overwrite it, or -o another file");
        }
        Manifest m = r.kubeconfig() != null ? fromCluster(name, r, events) : fromVersions(name, r, events);
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            boolean secret = m.registryAuths().values().stream()
                    .anyMatch(a -> a.password() != null && !a.password().isEmpty());
            if (secret) {
                // registry passwords copied from the config: only the owner may read the file, from its
                // first byte (the temp file is made 0600 before the rename)
                io.kk.util.AtomicFiles.writePrivate(out, Configs.toYaml(m));
                events.emit(io.kk.event.Note.info(
                        out + " holds registry passwords from the config: written readable by its owner only (0600)"));
            } else {
                io.kk.util.AtomicFiles.writeString(out, Configs.toYaml(m));
            }
        } catch (IOException e) {
            throw io.kk.error.FileErrors.writing(out, "-o", e);
        }
        return new Created(out, m);
    }

    /**
     * KubeSphere's own images for the version (its installer included), core plus the components
     * the ClusterConfiguration enables; for a version kk has no list of, the installer alone and a
     * warning.
     */
    static List<String> kubeSphereImages(String configuredVersion, String configurations, EventSink events) {
        String version = KubeSphereFiles.installableVersion(configuredVersion);
        Optional<List<String>> known = KubeSphereImages.of(version, configurations);
        if (known.isPresent()) {
            return known.get();
        }
        events.emit(Note.warn("KubeSphere " + version + ": kk has KubeSphere's image list for "
                + String.join(", ", KubeSphereImages.versions()) + " only; listing ks-installer alone: add the"
                + " images of KubeSphere's images-list.txt for " + version + " to spec.images for an air-gapped"
                + " install"));
        return List.of(KubeSphereFiles.installerSource(version));
    }

    static Manifest fromVersions(String name, Request r, EventSink events) {
        Catalog catalog = Catalog.builtin();
        ClusterConfig config =
                r.config() == null ? null : Configs.load(r.config()).orThrow();
        List<String> versions = new ArrayList<>();
        for (String v : r.kubernetesVersions()) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    versions.add(part.strip().startsWith("v") ? part.strip() : "v" + part.strip());
                }
            }
        }
        if (versions.isEmpty()) {
            versions.add(config != null ? config.kubernetes().version() : catalog.defaultKubernetesVersion());
        }
        for (String v : versions) {
            if (!catalog.supportedKubernetesVersions().contains(v)) {
                events.emit(Note.warn("Kubernetes " + v + " is not in kk's catalog: its binaries need a checksum"
                        + " upstream or in spec.checksums at export"));
            }
        }
        List<String> arches = arches(r.arches());
        String runtime = config != null ? config.kubernetes().containerManager() : null;
        Set<String> images = new LinkedHashSet<>();
        for (String v : versions) {
            images.addAll(ClusterImages.references(needs(v, config)));
        }
        boolean configKs = config != null && config.kubesphere().enabled();
        boolean ks = r.withKubeSphere() != null || configKs;
        if (r.withLocalStorage()
                || (config != null && config.storage().deployLocalStorage(ks))
                || (config == null && ks)) {
            ClusterImages.localStorage().forEach(i -> images.add(i.reference()));
        }
        if (ks) {
            String ksVersion = r.withKubeSphere() != null && !r.withKubeSphere().isBlank()
                    ? r.withKubeSphere()
                    : configKs ? config.kubesphere().version() : "";
            images.addAll(
                    kubeSphereImages(ksVersion, configKs ? config.kubesphere().configurations() : "", events));
        }
        List<Manifest.ContainerRuntime> runtimes = new ArrayList<>();
        if (runtime == null || runtime.isBlank() || runtime.equals("docker")) {
            runtimes.add(new Manifest.ContainerRuntime("docker", def(catalog, "docker")));
        }
        if (runtime == null || runtime.isBlank() || runtime.equals("containerd")) {
            runtimes.add(new Manifest.ContainerRuntime("containerd", def(catalog, "containerd")));
        }
        boolean registry = r.withRegistry()
                || (config != null
                        && config.roleGroups() != null
                        && !config.roleGroups().registry().isEmpty());
        Manifest.Components components = new Manifest.Components(
                comp(catalog, "helm"),
                comp(catalog, "kubecni"),
                comp(catalog, "etcd"),
                comp(catalog, "calicoctl"),
                comp(catalog, "crictl"),
                runtimes,
                registry ? new Manifest.Component(def(catalog, "registry")) : null,
                null,
                null,
                runtimes.stream().anyMatch(x -> x.type().equals("containerd")) ? comp(catalog, "runc") : null);
        return new Manifest(
                name,
                arches,
                List.of(),
                versions.stream()
                        .map(v -> new Manifest.KubernetesDistribution("kubernetes", v))
                        .toList(),
                components,
                List.copyOf(images),
                config != null && config.registry() != null ? config.registry().auths() : Map.of(),
                Map.of(),
                config == null ? List.of() : withCniCharts(charts(config, r.config(), events), config));
    }

    /**
     * The config's Helm chart addons as {@code spec.charts}. A relative chart path is made absolute
     * from the config's directory, so the Manifest works wherever it is moved; a chart directory
     * (not a .tgz) is left out with a warning, since the artifact packs chart packages.
     */
    static List<Manifest.Chart> charts(ClusterConfig config, Path configFile, EventSink events) {
        List<Manifest.Chart> charts = new ArrayList<>();
        Path base = configFile.toAbsolutePath().getParent();
        for (io.kk.config.Addon a : config.addons()) {
            io.kk.config.Addon.Chart c = a.chart();
            if (c == null) {
                continue;
            }
            String path = c.path() == null ? "" : c.path().strip();
            if (!path.isEmpty()) {
                Path file = base.resolve(path).normalize();
                if (Files.isDirectory(file)) {
                    events.emit(Note.warn("addon " + a.name() + ": the chart " + file + " is a directory; package it"
                            + " (helm package " + file + ") and add the .tgz to spec.charts"));
                    continue;
                }
                path = file.toString();
            }
            String repo = path.isEmpty() && c.repo() != null ? c.repo().strip() : "";
            if (path.isEmpty() && repo.isEmpty()) {
                events.emit(Note.warn("addon " + a.name() + ": its chart has neither repo nor path; left out"));
                continue;
            }
            Manifest.Chart chart = new Manifest.Chart(c.name(), repo, c.version(), path);
            if (!charts.contains(chart)) {
                charts.add(chart);
            }
        }
        return charts;
    }

    /** The charts the CNI phase installs from the artifact (cilium's, hybridnet's), after the config's addons. */
    static List<Manifest.Chart> withCniCharts(List<Manifest.Chart> addonCharts, ClusterConfig config) {
        List<Manifest.Chart> out = new ArrayList<>(addonCharts);
        String plugin = config.network() == null || config.network().plugin() == null
                ? ""
                : config.network().plugin().strip().toLowerCase(Locale.ROOT);
        if (plugin.equals(NetworkSettings.CILIUM)) {
            Manifest.Chart cilium = new Manifest.Chart(
                    CniManifests.CILIUM_CHART_NAME,
                    CniManifests.CILIUM_CHART_REPO,
                    ClusterImages.CILIUM_CHART_VERSION,
                    "");
            if (!out.contains(cilium)) {
                out.add(cilium);
            }
        }
        if (plugin.equals(NetworkSettings.HYBRIDNET)) {
            Manifest.Chart hybridnet = new Manifest.Chart(
                    CniManifests.HYBRIDNET_CHART_NAME,
                    CniManifests.HYBRIDNET_CHART_REPO,
                    ClusterImages.HYBRIDNET_CHART_VERSION,
                    "");
            if (!out.contains(hybridnet)) {
                out.add(hybridnet);
            }
        }
        return out;
    }

    static Manifest fromCluster(String name, Request r, EventSink events) {
        events.emit(Note.info("reading nodes and pods through " + r.kubeconfig()));
        ClusterInventory inv = ClusterScanner.scan(r.kubeconfig());
        return fromInventory(name, inv);
    }

    /** A Manifest for what a scanned cluster runs, components at kk's defaults. */
    public static Manifest fromInventory(String name, ClusterInventory inv) {
        Catalog catalog = Catalog.builtin();
        List<Manifest.ContainerRuntime> runtimes = inv.containerRuntimes().stream()
                .map(rt -> new Manifest.ContainerRuntime(rt.type(), rt.version()))
                .toList();
        Manifest.Components components = new Manifest.Components(
                comp(catalog, "helm"),
                comp(catalog, "kubecni"),
                comp(catalog, "etcd"),
                comp(catalog, "calicoctl"),
                comp(catalog, "crictl"),
                runtimes,
                null,
                null,
                null,
                runtimes.stream().anyMatch(x -> x.type().equals("containerd")) ? comp(catalog, "runc") : null);
        List<Manifest.KubernetesDistribution> k8s = inv.kubernetesVersion() == null
                        || inv.kubernetesVersion().isBlank()
                ? List.of()
                : List.of(new Manifest.KubernetesDistribution(
                        inv.kubernetesType() == null || inv.kubernetesType().isBlank()
                                ? "kubernetes"
                                : inv.kubernetesType(),
                        inv.kubernetesVersion()));
        return new Manifest(
                name,
                inv.arches(),
                inv.operatingSystems().stream()
                        .map(os -> new Manifest.OperatingSystem(
                                os.arch(),
                                os.type(),
                                os.id(),
                                os.version(),
                                os.osImage(),
                                new Manifest.Iso("", "", "")))
                        .toList(),
                k8s,
                components,
                inv.images(),
                Map.of(),
                Map.of());
    }

    private static ImageNeeds needs(String version, ClusterConfig c) {
        if (c == null) {
            return ImageNeeds.defaults(version);
        }
        var k = c.kubernetes();
        int hosts = c.roleGroups() == null
                ? 1
                : (int) java.util.stream.Stream.concat(
                                c.roleGroups().controlPlane().stream(), c.roleGroups().worker().stream())
                        .distinct()
                        .count();
        return new ImageNeeds(
                version,
                k.containerManager(),
                c.network() == null ? null : c.network().plugin(),
                c.network() != null && c.network().multusCNI(),
                k.nodelocaldns(),
                c.controlPlaneEndpoint() == null ? "" : c.controlPlaneEndpoint().internalLoadbalancer(),
                c.etcd() == null ? null : c.etcd().type().yamlName(),
                !k.disableKubeProxy(),
                Math.max(1, hosts));
    }

    private static List<String> arches(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String a : given) {
            for (String part : a.split(",")) {
                if (!part.isBlank() && !out.contains(part.strip().toLowerCase(Locale.ROOT))) {
                    out.add(part.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out.isEmpty() ? List.of("amd64") : out;
    }

    private static String def(Catalog catalog, String component) {
        return catalog.defaultVersion(component).orElse("");
    }

    private static Manifest.Component comp(Catalog catalog, String component) {
        return new Manifest.Component(def(catalog, component));
    }
}
