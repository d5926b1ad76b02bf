package io.kk.cluster.kubernetes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.representer.Representer;

/** Deterministic YAML for generated files: block style, two-space indent, map order kept. */
final class Yamls {
    private Yamls() {}

    private static Yaml dumper() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        // A value shared by two keys must be written twice, never as an anchor and alias.
        o.setDereferenceAliases(true);
        return new Yaml(new Representer(o), o);
    }

    /** One document, without the leading {@code ---}. */
    static String dump(Map<String, Object> doc) {
        return dumper().dump(doc);
    }

    /** Several documents, each introduced by {@code ---}. */
    static String dumpAll(List<Map<String, Object>> docs) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> d : docs) {
            b.append("---\n").append(dump(d));
        }
        return b.toString();
    }

    /** Parses every document of a multi-document YAML text into maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(String text) {
        Yaml y = new Yaml(new LoaderOptions());
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object o : y.loadAll(text)) {
            if (o != null) {
                out.add((Map<String, Object>) o);
            }
        }
        return out;
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * {@code defaults} overlaid by {@code user} at the top level (a user key replaces kk's value
     * whole, as KubeKey does), then sorted by key at every level so the output is stable whatever
     * order the user wrote.
     */
    static Map<String, Object> mergeSorted(Map<String, Object> defaults, Map<String, Object> user) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        user.forEach((k, v) -> {
            if (!k.equals("apiVersion") && !k.equals("kind")) {
                merged.put(k, v);
            }
        });
        return sortDeep(merged);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sortDeep(Map<String, Object> m) {
        TreeMap<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? sortDeep((Map<String, Object>) inner) : v));
        return new LinkedHashMap<>(out);
    }
}
