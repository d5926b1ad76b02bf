package io.kk.cluster.addons;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The images KubeSphere v3 itself pulls, per version, as KubeSphere's images-list.txt gives them
 * (resources {@code images/<version>.txt}, sources in {@code images/SOURCES.md}): the core sections
 * ({@code kubesphere-images}, {@code kubesphere-monitoring-images}) always, each pluggable
 * component's section when the ClusterConfiguration enables it. Names come out fully qualified
 * ({@code docker.io/library/redis:5.0.14-alpine}), as a manifest lists them; the registry rewrite
 * happens where every other image is rewritten.
 */
public final class KubeSphereImages {
    /** The sections every install pulls. */
    static final List<String> CORE = List.of("kubesphere-images", "kubesphere-monitoring-images");

    private KubeSphereImages() {}

    /** Versions kk has KubeSphere's list for. */
    public static List<String> versions() {
        return List.of("v3.1.0", "v3.2.1", "v3.3.0", "v3.4.0", "v3.4.1");
    }

    /**
     * The images for a KubeSphere version and its ClusterConfiguration ("" for KubeKey's default:
     * only the core); empty when kk has no list for that version.
     */
    public static Optional<List<String>> of(String version, String configurations) {
        Map<String, List<String>> sections = sections(version);
        if (sections.isEmpty()) {
            return Optional.empty();
        }
        Set<String> enabled = new LinkedHashSet<>(CORE);
        enabled.addAll(enabledSections(configurations));
        Set<String> out = new LinkedHashSet<>();
        sections.forEach((section, images) -> {
            if (enabled.contains(section)) {
                images.forEach(i -> out.add(qualified(i)));
            }
        });
        return Optional.of(List.copyOf(out));
    }

    /** The list's sections in order, its names as written; empty for an unknown version. */
    static Map<String, List<String>> sections(String version) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (InputStream in = KubeSphereImages.class.getResourceAsStream("images/" + version + ".txt")) {
            if (in == null) {
                return out;
            }
            List<String> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.startsWith("##")) {
                    current = out.computeIfAbsent(l.substring(2), k -> new ArrayList<>());
                } else if (!l.isEmpty() && current != null) {
                    current.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Docker's defaulting: {@code redis:5} is docker.io/library/redis:5, {@code a/b} docker.io/a/b. */
    static String qualified(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + name;
        }
        String first = name.substring(0, slash);
        boolean registry = first.contains(".") || first.contains(":") || first.equals("localhost");
        return registry ? name : "docker.io/" + name;
    }

    /** The pluggable components' sections the ClusterConfiguration turns on. */
    static Set<String> enabledSections(String configurations) {
        Set<String> out = new LinkedHashSet<>();
        if (configurations == null || configurations.isBlank()) {
            return out;
        }
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(configurations)) {
            if (!(doc instanceof Map<?, ?> m) || !"ClusterConfiguration".equals(m.get("kind"))) {
                continue;
            }
            Object spec = m.get("spec");
            if (!(spec instanceof Map<?, ?> s)) {
                continue;
            }
            if (on(s, "devops", "enabled")) {
                out.add("kubesphere-devops-images");
            }
            if (on(s, "logging", "enabled") || on(s, "events", "enabled") || on(s, "auditing", "enabled")) {
                out.add("kubesphere-logging-images");
            }
            if (on(s, "servicemesh", "enabled")) {
                out.add("istio-images");
            }
            if (on(s, "kubeedge", "enabled") || on(s, "edgeruntime", "enabled")) {
                out.add("kubeedge-images");
            }
            if (on(s, "gatekeeper", "enabled")) {
                out.add("gatekeeper-images");
            }
            if (on(s, "openpitrix", "store", "enabled")) {
                out.add("openpitrix-images");
            }
            if (on(s, "network", "topology", "type")) {
                out.add("weave-scope-images");
            }
        }
        return out;
    }

    /** true, or (for network.topology.type) weave-scope, at the path. */
    private static boolean on(Map<?, ?> spec, String... path) {
        Object v = spec;
        for (String p : path) {
            if (!(v instanceof Map<?, ?> m)) {
                return false;
            }
            v = m.get(p);
        }
        return Boolean.TRUE.equals(v) || "true".equals(v) || "weave-scope".equals(v);
    }
}
