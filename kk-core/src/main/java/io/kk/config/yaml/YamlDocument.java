package io.kk.config.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One document of a YAML file, composed (not constructed) so every node keeps its position.
 *
 * @param root the document's root cursor
 * @param text the document's own source text (for documents kept verbatim, e.g. KubeSphere's)
 */
public record YamlDocument(Cursor root, String text) {

    /**
     * Parses every document of a file. A syntax error becomes a problem with line and column; the
     * documents before it are still returned.
     */
    public static List<YamlDocument> parseAll(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with their path
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        // `<<: *anchor` merge keys, as KubeKey's yaml.v2 reader applies them (users share SSH
        // settings between hosts that way); explicit keys win over merged ones.
        options.setMergeOnCompose(true);
        Yaml yaml = new Yaml(options);
        List<YamlDocument> docs = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                if (node == null || isEmptyDocument(node)) {
                    continue; // a `---` with nothing after it, as KubeKey's reader skips it
                }
                int start =
                        node.getStartMark() == null ? 0 : node.getStartMark().getIndex();
                int end = node.getEndMark() == null
                        ? text.length()
                        : node.getEndMark().getIndex();
                String own = text.substring(Math.min(start, text.length()), Math.min(end, text.length()));
                docs.add(new YamlDocument(new Cursor(node, "", problems), own));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            int column = mark == null ? 0 : mark.getColumn() + 1;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            StringBuilder msg = new StringBuilder("invalid YAML");
            if (column > 0) {
                msg.append(" at column ").append(column);
            }
            msg.append(": ").append(what.strip());
            if (e.getContext() != null) {
                msg.append(" (").append(e.getContext().strip()).append(')');
            }
            // No tree exists to name the place: name the key written at (or just before) the line,
            // from the text's indentation, so the error still says where in the config it is.
            String near = line > 0 ? pathNear(text, line) : "";
            String hint = "check the indentation and quoting near this line; a value containing ': ' or '#' needs"
                    + " quotes";
            if (what.contains("\\t(TAB)") || what.contains("\t")) {
                hint = "replace the TAB characters at the start of this line by spaces (YAML indents with spaces"
                        + " only)";
            }
            problems.add(io.kk.error.Problem.Severity.ERROR, near, line, msg.toString(), hint);
        } catch (YAMLException e) {
            problems.add(
                    io.kk.error.Problem.Severity.ERROR,
                    "",
                    0,
                    "invalid YAML: " + io.kk.error.Causes.describe(e),
                    "check that the file is a YAML document");
        }
        return docs;
    }

    private static final java.util.regex.Pattern KEY_LINE =
            java.util.regex.Pattern.compile("^( *)(?:- +)?([A-Za-z0-9_.\"'-][^:#]*?)\\s*:(?:\\s|$).*");

    /**
     * The YAML path of the key on {@code line} (1-based) when that line is a plainly indented
     * {@code key:} line, else of the closest such line before it; "" when there is none. Built
     * from indentation alone, as the file did not parse: list indices are left out.
     */
    static String pathNear(String text, int line) {
        String[] lines = text.split("\\R", -1);
        int at = Math.min(line, lines.length) - 1;
        java.util.regex.Matcher m = null;
        for (; at >= 0; at--) {
            m = KEY_LINE.matcher(lines[at]);
            if (m.matches()) {
                break;
            }
        }
        if (at < 0) {
            return "";
        }
        java.util.Deque<String> keys = new java.util.ArrayDeque<>();
        keys.push(unquote(m.group(2)));
        int indent = m.group(1).length();
        for (int i = at - 1; i >= 0 && indent > 0; i--) {
            java.util.regex.Matcher p = KEY_LINE.matcher(lines[i]);
            if (p.matches() && p.group(1).length() < indent && !lines[i].strip().startsWith("-")) {
                keys.push(unquote(p.group(2)));
                indent = p.group(1).length();
            }
        }
        String path = "";
        for (String k : keys) {
            path = Cursor.child(path, k);
        }
        return path;
    }

    private static String unquote(String key) {
        String k = key.strip();
        if (k.length() >= 2 && (k.startsWith("\"") && k.endsWith("\"") || k.startsWith("'") && k.endsWith("'"))) {
            return k.substring(1, k.length() - 1);
        }
        return k;
    }

    private static boolean isEmptyDocument(Node node) {
        return node instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                && (s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL)
                        || s.getValue().isBlank());
    }
}
