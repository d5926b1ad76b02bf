package io.kk.config;

import io.kk.catalog.Versions;
import io.kk.config.yaml.Cursor;
import io.kk.config.yaml.Problems;
import io.kk.config.yaml.YamlDocument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates a Manifest in one pass. */
final class ManifestReader {
    private static final Set<String> BINARY_ARCHES = Set.of("amd64", "arm64");
    private static final Set<String> IMAGE_ONLY_ARCHES = Set.of("arm/v7", "arm64/v8", "arm");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern REPO_PART = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** Chart names and versions become a file name ({@code charts/<name>-<version>.tgz}). */
    static final Pattern CHART_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static final Pattern CHART_VERSION = Pattern.compile("v?[0-9][A-Za-z0-9.+_-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:]+\\](:\\d{1,5})?");

    private ManifestReader() {}

    static LoadedManifest load(String text, String file) {
        Problems p = new Problems(file);
        List<YamlDocument> docs = YamlDocument.parseAll(text, p);
        if (p.hasErrors()) {
            return new LoadedManifest(file, null, p.list());
        }
        Cursor root = null;
        for (YamlDocument d : docs) {
            if (d.root().field("kind").string("").equals(Manifest.KIND)) {
                root = d.root();
                break;
            }
        }
        if (root == null) {
            String kind = docs.isEmpty() ? "" : docs.get(0).root().field("kind").string("");
            p.add(
                    io.kk.error.Problem.Severity.ERROR,
                    docs.isEmpty() ? "" : "kind",
                    docs.isEmpty() ? 0 : docs.get(0).root().field("kind").line(),
                    docs.isEmpty()
                            ? "the file is empty"
                            : kind.isEmpty() ? "kind is missing" : "kind \"" + kind + "\" is not a Manifest",
                    "a manifest starts with `apiVersion: " + ClusterConfig.API_VERSION + "` and `kind: Manifest`");
            return new LoadedManifest(file, null, p.list());
        }
        Manifest m = read(root, p);
        return new LoadedManifest(file, m, p.list());
    }

    private static Manifest.Component component(Cursor c, String at) {
        if (!c.present()) {
            return null;
        }
        c.object("version");
        String v = c.field("version").string("");
        if (!v.isEmpty() && !Versions.COMPONENT.matcher(v).matches()) {
            c.field("version").error("malformed version \"" + v + "\"", "write a release version such as v3.9.0");
        }
        return new Manifest.Component(v);
    }

    private static Manifest read(Cursor root, Problems p) {
        root.object("apiVersion", "kind", "metadata", "spec");
        Cursor api = root.field("apiVersion");
        if (!api.string("").equals(ClusterConfig.API_VERSION)) {
            api.error(
                    api.present() ? "unsupported apiVersion \"" + api.string("") + "\"" : "apiVersion is missing",
                    "use apiVersion: " + ClusterConfig.API_VERSION);
        }
        Cursor spec = root.field("spec");
        if (!spec.present()) {
            spec.error("spec is missing", "a Manifest needs spec.arches, spec.components and spec.images");
        }
        spec.object(
                "arches",
                "operatingSystems",
                "kubernetesDistributions",
                "components",
                "images",
                "registry",
                "checksums",
                "charts");

        List<String> arches = spec.field("arches").strings();
        List<Cursor> archCursors =
                spec.field("arches").present() ? spec.field("arches").list() : List.of();
        for (int i = 0; i < arches.size() && i < archCursors.size(); i++) {
            String a = arches.get(i);
            if (IMAGE_ONLY_ARCHES.contains(a)) {
                archCursors
                        .get(i)
                        .warning(
                                "arch \"" + a + "\" applies to images only", "binaries exist for amd64 and arm64 only");
            } else if (!BINARY_ARCHES.contains(a)) {
                archCursors.get(i).error("unsupported arch \"" + a + "\"", "use amd64, arm64 (or arm/v7 for images)");
            }
        }

        List<Manifest.OperatingSystem> oses = new ArrayList<>();
        for (Cursor os : spec.field("operatingSystems").list()) {
            os.object("arch", "type", "id", "version", "osImage", "repository");
            Cursor iso = os.field("repository").object("iso").field("iso").object("localPath", "url", "checksum");
            String arch = os.field("arch").string("");
            if (!BINARY_ARCHES.contains(arch)) {
                os.field("arch").error("unsupported arch \"" + arch + "\"", "use amd64 or arm64");
            }
            String checksum = iso.field("checksum").string("");
            if (!checksum.isEmpty() && !checksum.matches("(sha256:)?[0-9a-f]{64}")) {
                iso.field("checksum").error("malformed checksum \"" + checksum + "\"", "write sha256:<64 hex digits>");
            }
            Manifest.Iso isoRec = new Manifest.Iso(
                    iso.field("localPath").string(""), iso.field("url").string(""), checksum);
            oses.add(new Manifest.OperatingSystem(
                    arch,
                    os.field("type").nonEmpty("linux"),
                    os.field("id").string(""),
                    os.field("version").string(""),
                    os.field("osImage").string(""),
                    isoRec));
        }

        List<Manifest.KubernetesDistribution> dists = new ArrayList<>();
        String firstType = null;
        for (Cursor d : spec.field("kubernetesDistributions").list()) {
            d.object("type", "version");
            String type = d.field("type").nonEmpty("kubernetes");
            String version = d.field("version").string("");
            if (!Set.of("kubernetes", "k3s", "k8e").contains(type)) {
                d.field("type").error("unknown distribution \"" + type + "\"", "use kubernetes, k3s or k8e");
            } else if (firstType != null && !firstType.equals(type)) {
                d.field("type").error("all kubernetesDistributions must be of one type", "keep only " + firstType);
            }
            firstType = firstType == null ? type : firstType;
            if (!Versions.isKube(version)) {
                d.field("version").error("malformed Kubernetes version \"" + version + "\"", "write it as vX.Y.Z");
            }
            dists.add(new Manifest.KubernetesDistribution(type, version));
        }

        Cursor comps = spec.field("components")
                .object(
                        "helm",
                        "cni",
                        "etcd",
                        "calicoctl",
                        "crictl",
                        "containerRuntimes",
                        "docker-registry",
                        "harbor",
                        "docker-compose",
                        "runc");
        List<Manifest.ContainerRuntime> runtimes = new ArrayList<>();
        for (Cursor r : comps.field("containerRuntimes").list()) {
            r.object("type", "version");
            String type = r.field("type").string("");
            if (!Set.of("docker", "containerd").contains(type)) {
                r.field("type").error("unknown container runtime \"" + type + "\"", "use docker or containerd");
            }
            String v = r.field("version").string("");
            if (!Versions.COMPONENT.matcher(v).matches()) {
                r.field("version").error("malformed version \"" + v + "\"", "write a release version such as 1.7.13");
            }
            runtimes.add(new Manifest.ContainerRuntime(type, v));
        }
        Manifest.Components components = new Manifest.Components(
                component(comps.field("helm"), "helm"),
                component(comps.field("cni"), "cni"),
                component(comps.field("etcd"), "etcd"),
                component(comps.field("calicoctl"), "calicoctl"),
                component(comps.field("crictl"), "crictl"),
                runtimes,
                component(comps.field("docker-registry"), "docker-registry"),
                component(comps.field("harbor"), "harbor"),
                component(comps.field("docker-compose"), "docker-compose"),
                component(comps.field("runc"), "runc"));

        List<String> images = new ArrayList<>();
        for (Cursor i : spec.field("images").list()) {
            String ref = i.string().orElse(null);
            if (ref == null) {
                continue;
            }
            String why = imageProblem(ref);
            if (why != null) {
                i.error(
                        "bad image reference \"" + ref + "\": " + why,
                        "write it as host/namespace/repo:tag, e.g. docker.io/library/nginx:1.25");
            }
            images.add(ref);
        }

        Map<String, RegistryAuth> auths =
                ClusterReader.auths(spec.field("registry").object("auths").field("auths"));

        Map<String, String> checksums = new LinkedHashMap<>();
        spec.field("checksums").entries().forEach((name, v) -> {
            String sum = v.string().orElse(null);
            if (sum == null) {
                return;
            }
            // a file name, or the file's artifact path (kube/v1.30.0/amd64/kubeadm): the form kk's
            // "no sha256" error suggests, unambiguous across versions and arches
            if (name.isBlank()
                    || name.startsWith("/")
                    || name.endsWith("/")
                    || java.util.Arrays.asList(name.split("/")).contains("..")) {
                v.error(
                        "checksum key \"" + name + "\" is not a file name or artifact path",
                        "key by the file's name (kubeadm) or its artifact path (kube/v1.30.0/amd64/kubeadm)");
            }
            if (!SHA256.matcher(sum).matches()) {
                v.error("malformed checksum \"" + sum + "\"", "write sha256:<64 lower-case hex digits>");
            }
            checksums.put(name, sum);
        });
        return new Manifest(
                root.field("metadata").field("name").string("sample"),
                arches,
                oses,
                dists,
                components,
                images,
                auths,
                checksums,
                charts(spec.field("charts")));
    }

    private static List<Manifest.Chart> charts(Cursor list) {
        List<Manifest.Chart> charts = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Cursor c : list.list()) {
            c.object("name", "repo", "version", "path");
            Manifest.Chart chart = new Manifest.Chart(
                    c.field("name").string("").strip(),
                    c.field("repo").string("").strip(),
                    c.field("version").string("").strip(),
                    c.field("path").string("").strip());
            boolean repo = !chart.repo().isEmpty();
            boolean path = !chart.path().isEmpty();
            if (repo == path) {
                c.error(
                        repo ? "a chart has both repo and path" : "a chart needs a repo or a path",
                        "write {name, repo, version} for a chart repository, or {path: chart.tgz} for a local chart");
            }
            if (repo && chart.name().isEmpty()) {
                c.field("name")
                        .error("a repository chart needs its name", "write the chart's name as in the repository");
            }
            if (repo && !chart.repo().matches("(?i)(https?|oci)://[^\\s]+")) {
                c.field("repo")
                        .error(
                                "chart repository \"" + chart.repo() + "\" is not an http(s) or oci:// URL",
                                "give the repository's URL (where its index.yaml is), an OCI registry path"
                                        + " (oci://registry/path, the chart at <path>/<name>:<version>), or pull"
                                        + " the chart and give its .tgz as path");
            }
            if (!chart.name().isEmpty() && !CHART_NAME.matcher(chart.name()).matches()) {
                c.field("name")
                        .error("bad chart name \"" + chart.name() + "\"", "letters, digits, '.', '_' and '-' only");
            }
            if (!chart.version().isEmpty()
                    && !CHART_VERSION.matcher(chart.version()).matches()) {
                c.field("version")
                        .error("bad chart version \"" + chart.version() + "\"", "write a SemVer version such as 1.2.3");
            }
            String key = repo ? chart.name() + "-" + chart.version() : chart.path();
            if (!seen.add(key)) {
                c.error("chart " + key + " is listed twice", "keep one entry");
            }
            charts.add(chart);
        }
        return charts;
    }

    /** Why an image reference is not one KubeKey can export, or null when it is fine. */
    static String imageProblem(String ref) {
        String name = ref;
        String digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            name = ref.substring(0, at);
            digest = ref.substring(at + 1);
            if (!SHA256.matcher(digest).matches()) {
                return "bad digest";
            }
        }
        String[] parts = name.split("/", -1);
        if (parts.length < 3) {
            return "it needs a registry host and a namespace";
        }
        if (!HOST.matcher(parts[0]).matches()) {
            return "bad registry host \"" + parts[0] + "\"";
        }
        String last = parts[parts.length - 1];
        String tag = null;
        int colon = last.indexOf(':');
        if (colon >= 0) {
            tag = last.substring(colon + 1);
            last = last.substring(0, colon);
        }
        if (tag == null && digest == null) {
            return "it has no tag";
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            return "bad tag \"" + tag + "\"";
        }
        for (int i = 1; i < parts.length; i++) {
            String part = i == parts.length - 1 ? last : parts[i];
            if (!REPO_PART.matcher(part).matches()) {
                return "bad repository part \"" + part + "\"";
            }
        }
        return null;
    }
}
