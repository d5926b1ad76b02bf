package io.kk.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/** A small YAML emitter that keeps KubeKey's layout (flow-style hosts, field order, comments). */
final class YamlText {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@+=-][A-Za-z0-9_./@+=:-]*");
    private static final Resolver RESOLVER = new Resolver();

    private final StringBuilder out = new StringBuilder();

    static String scalar(Object v) {
        if (v == null) {
            return "\"\"";
        }
        if (v instanceof Boolean || v instanceof Number) {
            return v.toString();
        }
        String s = v.toString();
        if (!s.isEmpty()
                && PLAIN.matcher(s).matches()
                && !s.endsWith(":")
                && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR)) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    YamlText line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
        return this;
    }

    YamlText kv(int indent, String key, Object value) {
        return line(indent, key + ": " + scalar(value));
    }

    /** key: value, skipped when the value is empty. */
    YamlText opt(int indent, String key, String value) {
        return value == null || value.isEmpty() ? this : kv(indent, key, value);
    }

    YamlText opt(int indent, String key, Number value) {
        return value == null ? this : kv(indent, key, value);
    }

    /** A block list; {@code []} when empty and {@code always}, nothing when empty otherwise. */
    YamlText list(int indent, String key, List<String> items, boolean always) {
        if (items.isEmpty()) {
            return always ? line(indent, key + ": []") : this;
        }
        line(indent, key + ":");
        for (String s : items) {
            line(indent, "- " + scalar(s));
        }
        return this;
    }

    /** A free value (maps, lists, scalars) in block style. */
    YamlText tree(int indent, String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return line(indent, key + ": {}");
            }
            line(indent, key + ":");
            m.forEach((k, v) -> tree(indent + 1, scalar(String.valueOf(k)), v));
        } else if (value instanceof List<?> l) {
            if (l.isEmpty()) {
                return line(indent, key + ": []");
            }
            line(indent, key + ":");
            for (Object item : l) {
                if (item instanceof Map<?, ?> || item instanceof List<?>) {
                    // nested structures inside lists: write them as flow JSON-like YAML
                    line(indent, "- " + flow(item));
                } else {
                    line(indent, "- " + scalar(item));
                }
            }
        } else {
            kv(indent, key, value);
        }
        return this;
    }

    static String flow(Object value) {
        if (value instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, v) -> {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(scalar(String.valueOf(k))).append(": ").append(flow(v));
            });
            return b.append('}').toString();
        }
        if (value instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : l) {
                if (b.length() > 1) {
                    b.append(", ");
                }
                b.append(flow(o));
            }
            return b.append(']').toString();
        }
        return scalar(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
