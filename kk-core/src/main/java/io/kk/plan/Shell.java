package io.kk.plan;

import java.util.Collection;
import java.util.stream.Collectors;

/** Quoting for the bash scripts actions send to hosts. */
public final class Shell {
    private Shell() {}

    /** Single-quotes a word for bash unless it is plainly safe. */
    public static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    public static String quoteAll(Collection<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
