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
            problems.add(
                    io.kk.error.Problem.Severity.ERROR,
                    "",
                    line,
                    msg.toString(),
                    "check the indentation and quoting near this line; a value containing ': ' or '#' needs quotes");
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

    private static boolean isEmptyDocument(Node node) {
        return node instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                && (s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL)
                        || s.getValue().isBlank());
    }
}
