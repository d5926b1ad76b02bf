package io.kk.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.download.DownloadSource;
import io.kk.error.KkException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The components kk can deliver (kubeadm, etcd, containerd, ...): versions, arches, URL templates
 * and sha256 digests, read from a data file ({@code io/kk/catalog/components.json}, generated from
 * KubeKey's table by {@code kk-core/src/main/catalog/sync-catalog.py}).
 *
 * <p>The catalog only lists what kk knows; {@link #resolve} also builds files for versions it does
 * not list (their digest then comes from {@link ChecksumResolver}).
 */
public final class Catalog {
    /** The arches kk delivers binaries for (KubeKey refuses others). */
    public static final List<String> ARCHES = List.of("amd64", "arm64");

    static final String BUILTIN_RESOURCE = "/io/kk/catalog/components.json";
    private static final Pattern SAFE_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final String origin;
    private final String defaultKubernetesVersion;
    private final Map<String, Component> components;
    private final Map<String, String> aliases;

    private Catalog(String origin, String defaultKubernetesVersion, Map<String, Component> components) {
        this.origin = origin;
        this.defaultKubernetesVersion = defaultKubernetesVersion;
        this.components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        Map<String, String> a = new LinkedHashMap<>();
        components.values().forEach(c -> c.aliases().forEach(alias -> a.put(alias, c.name())));
        this.aliases = Map.copyOf(a);
    }

    /** The catalog built into kk, read once on first use. */
    public static Catalog builtin() {
        return Builtin.CATALOG;
    }

    private static final class Builtin {
        static final Catalog CATALOG = loadBuiltin();

        private static Catalog loadBuiltin() {
            try (InputStream in = Catalog.class.getResourceAsStream(BUILTIN_RESOURCE)) {
                if (in == null) {
                    throw KkException.internal("the builtin catalog " + BUILTIN_RESOURCE + " is missing", null);
                }
                return load(in);
            } catch (IOException e) {
                throw KkException.internal("cannot read the builtin catalog", e);
            }
        }
    }

    /** Reads a catalog data file (the format sync-catalog.py writes). */
    public static Catalog load(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Map<String, Component> components = new LinkedHashMap<>();
        root.path("components").fields().forEachRemaining(e -> {
            components.put(e.getKey(), Component.fromJson(e.getKey(), e.getValue()));
        });
        if (components.isEmpty()) {
            throw new IOException("the catalog lists no components");
        }
        return new Catalog(
                root.path("origin").asText(""),
                root.path("defaultKubernetesVersion").asText(""),
                components);
    }

    /** Where the data came from (the NOTICE line of the data file). */
    public String origin() {
        return origin;
    }

    /** Component names, in the data file's order. */
    public Set<String> componentNames() {
        return components.keySet();
    }

    /** The Kubernetes versions kk knows digests for: the kubeadm amd64 keys, semver order. */
    public List<String> supportedKubernetesVersions() {
        return versions("kubeadm", "amd64");
    }

    public String defaultKubernetesVersion() {
        return defaultKubernetesVersion;
    }

    /** The version kk delivers when the user names none (KubeKey v3.0.13's defaults, see the data file). */
    public Optional<String> defaultVersion(String component) {
        return component(component).defaultVersion();
    }

    /** The versions the catalog lists for a component and arch, semver order. */
    public List<String> versions(String component, String arch) {
        List<String> versions = new ArrayList<>(
                component(component).sha256().getOrDefault(arch, Map.of()).keySet());
        versions.sort(Versions.SEMVER);
        return List.copyOf(versions);
    }

    /** The catalog's digest of a component file, if it lists one. */
    public Optional<String> sha256(String component, String version, String arch) {
        return Optional.ofNullable(
                component(component).sha256().getOrDefault(arch, Map.of()).get(version));
    }

    /** Whether the component is known (by its name or an alias such as "cni"). */
    public boolean knows(String component) {
        return components.containsKey(component) || aliases.containsKey(component);
    }

    /**
     * The file of a component at a version and arch, for any version (listed or not).
     *
     * @throws KkException INVALID_INPUT for an unknown component or arch, or a version that is not
     *     a plain version string
     */
    public ComponentFile resolve(String component, String version, String arch, DownloadSource source) {
        Component c = component(component);
        if (!ARCHES.contains(arch)) {
            throw KkException.invalidInput(
                    "arch '" + arch + "' is not supported for " + c.name(), "use one of " + ARCHES);
        }
        if (version == null || !SAFE_VERSION.matcher(version).matches()) {
            throw KkException.invalidInput(
                    "'" + version + "' is not a version of " + c.name(),
                    "write a version such as " + c.defaultVersion().orElse("v1.2.3"));
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("version", version);
        vars.put("arch", arch);
        vars.put("archAlias", c.archAliases().getOrDefault(arch, arch));
        vars.put("archSuffix", c.archSuffixes().getOrDefault(arch, ""));
        vars.put("file", expand(c.fileTemplate(), vars));
        String fileName = vars.get("file");
        URI upstream = URI.create(expand(c.urlTemplate(), vars));
        boolean china = source.chinaUrls() && c.cnUrlTemplate().isPresent();
        URI url = china ? URI.create(expand(c.cnUrlTemplate().get(), vars)) : source.map(upstream);
        // KubeKey's China mirror serves helm as a bare binary; upstream ships a tarball.
        Optional<String> member = china ? Optional.empty() : c.archiveMember().map(m -> expand(m, vars));
        // China mirrors publish no checksum files: those come from upstream (or the mirror) always.
        // For helm from China the file is the bare binary, which upstream's tarball checksum cannot vouch for.
        Optional<URI> checksumUrl = china && c.archiveMember().isPresent()
                ? Optional.empty()
                : c.checksumUrlTemplate().map(t -> source.map(URI.create(expand(t, vars))));
        String artifactPath = c.registryLayout()
                ? String.join("/", c.type(), c.name(), version, arch, fileName)
                : String.join("/", c.type(), version, arch, fileName);
        return new ComponentFile(
                c.name(),
                version,
                arch,
                fileName,
                url,
                upstream,
                artifactPath,
                sha256(c.name(), version, arch),
                checksumUrl,
                checksumUrl.isPresent() ? c.checksumFormat() : "",
                member);
    }

    private Component component(String name) {
        Component c = components.get(aliases.getOrDefault(name, name));
        if (c == null) {
            throw KkException.invalidInput(
                    "unknown component '" + name + "'", "kk knows " + String.join(", ", components.keySet()));
        }
        return c;
    }

    private static String expand(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace("{" + v.getKey() + "}", v.getValue());
        }
        if (out.contains("{")) {
            throw KkException.internal("unexpanded placeholder in catalog template: " + template, null);
        }
        return out;
    }

    /** One component as the data file describes it. */
    record Component(
            String name,
            String type,
            List<String> aliases,
            String fileTemplate,
            String urlTemplate,
            Optional<String> cnUrlTemplate,
            Optional<String> checksumUrlTemplate,
            String checksumFormat,
            Optional<String> archiveMember,
            Map<String, String> archAliases,
            Map<String, String> archSuffixes,
            boolean registryLayout,
            Optional<String> defaultVersion,
            Map<String, Map<String, String>> sha256) {

        static Component fromJson(String name, JsonNode n) {
            List<String> aliases = new ArrayList<>();
            n.path("aliases").forEach(a -> aliases.add(a.asText()));
            Map<String, Map<String, String>> sha = new LinkedHashMap<>();
            n.path("sha256").fields().forEachRemaining(arch -> {
                Map<String, String> byVersion = new LinkedHashMap<>();
                arch.getValue()
                        .fields()
                        .forEachRemaining(
                                v -> byVersion.put(v.getKey(), v.getValue().asText()));
                sha.put(arch.getKey(), Collections.unmodifiableMap(byVersion));
            });
            return new Component(
                    name,
                    required(n, "type", name),
                    List.copyOf(aliases),
                    required(n, "file", name),
                    required(n, "url", name),
                    optional(n, "cnUrl"),
                    optional(n, "checksumUrl"),
                    n.path("checksumFormat").asText(""),
                    optional(n, "archiveMember"),
                    stringMap(n.path("archAliases")),
                    stringMap(n.path("archSuffixes")),
                    n.path("registryLayout").asBoolean(false),
                    optional(n, "default"),
                    Collections.unmodifiableMap(sha));
        }

        private static String required(JsonNode n, String field, String component) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual()) {
                throw KkException.internal("catalog component " + component + " has no '" + field + "'", null);
            }
            return v.asText();
        }

        private static Optional<String> optional(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
        }

        private static Map<String, String> stringMap(JsonNode n) {
            Map<String, String> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            return Map.copyOf(m);
        }
    }
}
