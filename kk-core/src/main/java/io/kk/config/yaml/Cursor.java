package io.kk.config.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A position in a composed YAML tree: a node (or its absence), its YAML path such as {@code
 * spec.hosts[2].address} and its line. Reading a value of the wrong type records a problem and
 * yields the default, so one pass over a file reports every mistake in it.
 */
public final class Cursor {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final Node node; // null when absent
    private final String path;
    private final Problems problems;
    private final int line;
    private final int keyLine; // the line of the key that names this value; absent children point here

    Cursor(Node node, String path, Problems problems) {
        this(node, path, problems, node == null ? 0 : node.getStartMark().getLine() + 1);
    }

    private Cursor(Node node, String path, Problems problems, int line) {
        this(node, path, problems, line, line);
    }

    private Cursor(Node node, String path, Problems problems, int line, int keyLine) {
        this.node = isNull(node) ? null : node;
        this.path = path;
        this.problems = problems;
        this.line = line;
        this.keyLine = keyLine;
        problems.remember(path, line);
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    public String path() {
        return path;
    }

    /** 1-based line of the value (or of the closest parent when the value is absent). */
    public int line() {
        return line;
    }

    public boolean present() {
        return node != null;
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public Problems problems() {
        return problems;
    }

    public void error(String message, String hint) {
        problems.add(io.kk.error.Problem.Severity.ERROR, path, line, message, hint);
    }

    public void warning(String message, String hint) {
        problems.add(io.kk.error.Problem.Severity.WARNING, path, line, message, hint);
    }

    static String child(String parent, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : "\"" + key + "\"";
        if (!PLAIN_KEY.matcher(key).matches()) {
            return parent + "[" + k + "]";
        }
        return parent.isEmpty() ? k : parent + "." + k;
    }

    private String found() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        return "\"" + s.getValue() + "\"";
    }

    private boolean expect(NodeId id, String what, String hint) {
        if (node == null) {
            return false;
        }
        if (node.getNodeId() == id) {
            return true;
        }
        error("expected " + what + ", found " + found(), hint);
        return false;
    }

    /** The entries of a map, keys in file order; a duplicate key is an error. */
    public Map<String, Cursor> entries() {
        if (!expect(NodeId.mapping, "a map", "write it as `key: value` lines indented under this key")) {
            return Map.of();
        }
        Map<String, Cursor> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                problems.add(
                        io.kk.error.Problem.Severity.ERROR,
                        path,
                        k.getStartMark().getLine() + 1,
                        "map keys must be plain strings",
                        "");
                continue;
            }
            String key = ks.getValue();
            String childPath = child(path, key);
            int keyLine = k.getStartMark().getLine() + 1;
            if (out.containsKey(key)) {
                problems.add(
                        io.kk.error.Problem.Severity.ERROR,
                        childPath,
                        keyLine,
                        "duplicate key \"" + key + "\"",
                        "remove one of the two; YAML keeps only the last");
            }
            Node v = t.getValueNode();
            out.put(
                    key,
                    new Cursor(
                            v,
                            childPath,
                            problems,
                            isNull(v) ? keyLine : v.getStartMark().getLine() + 1));
        }
        return out;
    }

    /**
     * Checks this is a map whose keys are all among {@code known}; each other key is a warning
     * (KubeKey ignores unknown fields, and so do we, but say so).
     */
    public Cursor object(String... known) {
        if (node == null) {
            return this;
        }
        Set<String> names = new LinkedHashSet<>(List.of(known));
        Map<String, Cursor> entries = entries();
        for (Map.Entry<String, Cursor> e : entries.entrySet()) {
            if (!names.contains(e.getKey())) {
                Cursor c = e.getValue();
                String sameIgnoringCase = names.stream()
                        .filter(n -> n.equalsIgnoreCase(e.getKey()) && !entries.containsKey(n))
                        .findFirst()
                        .orElse(null);
                if (sameIgnoringCase != null) {
                    problems.add(
                            io.kk.error.Problem.Severity.WARNING,
                            c.path,
                            keyLine(e.getKey()),
                            "field \"" + e.getKey() + "\" is read as " + sameIgnoringCase
                                    + " (KubeKey matches field names ignoring case)",
                            "write it as " + sameIgnoringCase);
                    continue;
                }
                problems.add(
                        io.kk.error.Problem.Severity.WARNING,
                        c.path,
                        keyLine(e.getKey()),
                        "unknown field \"" + e.getKey() + "\" is ignored",
                        "check the spelling; known fields here: " + String.join(", ", names));
            }
        }
        return this;
    }

    private int keyLine(String key) {
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return s.getStartMark().getLine() + 1;
            }
        }
        return line;
    }

    /** The value under {@code key}; absent when missing or when this is not a map. */
    public Cursor field(String key) {
        String childPath = child(path, key);
        if (node instanceof MappingNode m) {
            Cursor last = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                    Node v = t.getValueNode();
                    int l = isNull(v)
                            ? s.getStartMark().getLine() + 1
                            : v.getStartMark().getLine() + 1;
                    last = new Cursor(
                            v, childPath, problems, l, s.getStartMark().getLine() + 1);
                }
            }
            if (last != null) {
                return last;
            }
            // As Go's encoding/json (KubeKey decodes its files with it): no exact key, then one
            // that differs in case only.
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equalsIgnoreCase(key)) {
                    Node v = t.getValueNode();
                    int l = isNull(v)
                            ? s.getStartMark().getLine() + 1
                            : v.getStartMark().getLine() + 1;
                    last = new Cursor(
                            v,
                            child(path, s.getValue()),
                            problems,
                            l,
                            s.getStartMark().getLine() + 1);
                }
            }
            if (last != null) {
                return last;
            }
        }
        return new Cursor(null, childPath, problems, keyLine, keyLine);
    }

    private static final Pattern STEP = Pattern.compile("\\.?([A-Za-z0-9_-]+)|\\[\"([^\"]*)\"\\]|\\[(\\d+)\\]");

    /**
     * The value at a relative YAML path such as {@code spec.hosts[2].address} or {@code
     * registry.auths["reg.local"].username}; absent when any step is missing.
     */
    public Cursor at(String relativePath) {
        Cursor c = this;
        java.util.regex.Matcher m = STEP.matcher(relativePath);
        int pos = 0;
        while (pos < relativePath.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("bad YAML path: " + relativePath);
            }
            if (m.group(1) != null) {
                c = c.field(m.group(1));
            } else if (m.group(2) != null) {
                c = c.field(m.group(2));
            } else {
                int index = Integer.parseInt(m.group(3));
                Cursor parent = c;
                c = parent.node instanceof SequenceNode seq
                                && index < seq.getValue().size()
                        ? new Cursor(seq.getValue().get(index), parent.path + "[" + index + "]", parent.problems)
                        : new Cursor(
                                null, parent.path + "[" + index + "]", parent.problems, parent.keyLine, parent.keyLine);
            }
            pos = m.end();
        }
        return c;
    }

    public boolean has(String key) {
        return field(key).present();
    }

    /** Items of a list; a scalar or map where a list belongs is an error. */
    public List<Cursor> list() {
        if (!expect(NodeId.sequence, "a list", "write each item on its own line starting with `- `, or as [a, b]")) {
            return List.of();
        }
        List<Cursor> out = new ArrayList<>();
        List<Node> items = ((SequenceNode) node).getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new Cursor(items.get(i), path + "[" + i + "]", problems));
        }
        return out;
    }

    private Optional<ScalarNode> scalar(String what) {
        if (!expect(NodeId.scalar, what, "write a single value here, not a list or a map")) {
            return Optional.empty();
        }
        return Optional.of((ScalarNode) node);
    }

    public Optional<String> string() {
        return scalar("a string").map(ScalarNode::getValue);
    }

    public String string(String dflt) {
        return string().orElse(dflt);
    }

    /** A string, with empty text treated as absent (KubeKey's Go zero value). */
    public String nonEmpty(String dflt) {
        String s = string(null);
        return s == null || s.isEmpty() ? dflt : s;
    }

    public Optional<Long> longValue() {
        Optional<ScalarNode> s = scalar("an integer");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String text = s.get().getValue().strip().replace("_", "");
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            error("expected an integer, found \"" + s.get().getValue() + "\"", "write a whole number such as 10");
            return Optional.empty();
        }
    }

    public Optional<Integer> integer() {
        Optional<Long> l = longValue();
        if (l.isPresent() && (l.get() > Integer.MAX_VALUE || l.get() < Integer.MIN_VALUE)) {
            error("number " + l.get() + " is too large", "");
            return Optional.empty();
        }
        return l.map(Long::intValue);
    }

    public int integer(int dflt) {
        return integer().orElse(dflt);
    }

    public Optional<Boolean> bool() {
        Optional<ScalarNode> s = scalar("true or false");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String v = s.get().getValue().strip().toLowerCase(java.util.Locale.ROOT);
        switch (v) {
            case "true", "yes", "on" -> {
                return Optional.of(true);
            }
            case "false", "no", "off" -> {
                return Optional.of(false);
            }
            default -> {
                error("expected true or false, found \"" + s.get().getValue() + "\"", "write true or false");
                return Optional.empty();
            }
        }
    }

    public boolean bool(boolean dflt) {
        return bool().orElse(dflt);
    }

    /** A list of strings; each non-scalar item is an error and is left out. */
    public List<String> strings() {
        List<String> out = new ArrayList<>();
        for (Cursor c : list()) {
            c.string().ifPresent(out::add);
        }
        return Collections.unmodifiableList(out);
    }

    /** A list of strings that also accepts a single string (KubeKey lets some lists be one item). */
    public List<String> stringOrStrings() {
        if (node instanceof ScalarNode) {
            return List.of(string(""));
        }
        return strings();
    }

    public Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        entries().forEach((k, c) -> c.string().ifPresent(v -> out.put(k, v)));
        return Collections.unmodifiableMap(out);
    }

    public Map<String, Boolean> boolMap() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        entries().forEach((k, c) -> c.bool().ifPresent(v -> out.put(k, v)));
        return Collections.unmodifiableMap(out);
    }

    /** A free-form map (kubeletConfiguration and the like): plain Java maps, lists and scalars. */
    public Map<String, Object> freeMap() {
        if (!expect(NodeId.mapping, "a map", "")) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) toJava(node, new HashSet<>());
        return m;
    }

    private static Object toJava(Node n, Set<Node> seen) {
        if (n == null || isNull(n)) {
            return null;
        }
        if (!seen.add(n)) {
            return null; // aliases forming a cycle
        }
        try {
            if (n instanceof MappingNode m) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
                    out.put(k, toJava(t.getValueNode(), seen));
                }
                return Collections.unmodifiableMap(out);
            }
            if (n instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                for (Node item : s.getValue()) {
                    out.add(toJava(item, seen));
                }
                return Collections.unmodifiableList(out);
            }
            ScalarNode s = (ScalarNode) n;
            String v = s.getValue();
            Tag tag = s.getTag();
            try {
                if (tag.equals(Tag.INT)) {
                    return Long.parseLong(v.replace("_", ""));
                }
                if (tag.equals(Tag.FLOAT)) {
                    return Double.parseDouble(v.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                return v;
            }
            if (tag.equals(Tag.BOOL)) {
                return Boolean.parseBoolean(v) || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
            }
            return v;
        } finally {
            seen.remove(n);
        }
    }
}
