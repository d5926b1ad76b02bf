package io.kk.config.yaml;

import io.kk.error.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem found in one file, instead of stopping at the first. It also remembers
 * the line of every YAML path read, so checks that run after parsing (on records, which carry no
 * positions) can still point at the right line.
 */
public final class Problems {
    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> lines = new HashMap<>();

    public Problems(String file) {
        this.file = file == null ? "" : file;
    }

    public String file() {
        return file;
    }

    void remember(String path, int line) {
        if (line > 0) {
            lines.putIfAbsent(path, line);
        }
    }

    /** The line of a path, or of its nearest ancestor that was read; 0 when unknown. */
    public int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            p = parent(p);
        }
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }

    public void error(String path, String message, String hint) {
        add(Problem.Severity.ERROR, path, lineOf(path), message, hint);
    }

    public void warning(String path, String message, String hint) {
        add(Problem.Severity.WARNING, path, lineOf(path), message, hint);
    }

    public void add(Problem.Severity severity, String path, int line, String message, String hint) {
        Problem p = new Problem(severity, file, line, path, message, hint);
        if (!problems.contains(p)) { // a value read twice must not be reported twice
            problems.add(p);
        }
    }

    public List<Problem> list() {
        return List.copyOf(problems);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }
}
