package io.kk.cluster.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small template language of kk's manifest templates (resources next to this class): {@code
 * {{name}}} is replaced by a value; a line holding only {@code {{#name}}} or {@code {{^name}}} opens
 * a block kept when the boolean is true (resp. false), a line {@code {{/name}}} closes it. A name
 * without a value is an error, so a template and its caller cannot drift apart silently.
 */
public final class Template {
    private static final Pattern VALUE = Pattern.compile("\\{\\{([A-Za-z0-9_]+)}}");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\{\\{([#^/])([A-Za-z0-9_]+)}}\\s*$");

    private final String name;
    private final String text;

    private Template(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** A template from the class path, relative to {@code anchor}'s package. */
    public static Template resource(Class<?> anchor, String file) {
        try (InputStream in = anchor.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("template " + file + " is missing next to " + anchor.getName());
            }
            return new Template(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Template of(String name, String text) {
        return new Template(name, text);
    }

    public String render(Map<String, ?> values) {
        StringBuilder out = new StringBuilder();
        Deque<Boolean> keep = new ArrayDeque<>();
        Deque<String> open = new ArrayDeque<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                String key = s.group(2);
                if (s.group(1).equals("/")) {
                    if (open.isEmpty() || !open.peek().equals(key)) {
                        throw new IllegalStateException(name + ":" + lineNo + ": {{/" + key + "}} closes nothing");
                    }
                    open.pop();
                    keep.pop();
                } else {
                    Object v = value(values, key, lineNo);
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalStateException(name + ":" + lineNo + ": " + key + " is not a boolean");
                    }
                    boolean outer = keep.isEmpty() || keep.peek();
                    keep.push(outer && (s.group(1).equals("#") == b));
                    open.push(key);
                }
                continue;
            }
            if (!keep.isEmpty() && !keep.peek()) {
                continue;
            }
            Matcher m = VALUE.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(value(values, m.group(1), lineNo))));
            }
            m.appendTail(sb);
            out.append(sb).append('\n');
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException(name + ": {{" + open.peek() + "}} is not closed");
        }
        // split(-1) gives one empty piece after the final newline: do not double it
        return out.substring(0, out.length() - 1);
    }

    private Object value(Map<String, ?> values, String key, int lineNo) {
        if (!values.containsKey(key)) {
            throw new IllegalStateException(name + ":" + lineNo + ": no value for " + key);
        }
        return values.get(key);
    }
}
