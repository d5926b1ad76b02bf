package io.kk.artifact;

/** Rules for paths inside an artifact: relative, no {@code ..}, no empty or odd segments. */
final class SafePaths {
    private SafePaths() {}

    /** Why {@code path} may not be an artifact entry, or null when it is fine. */
    static String problem(String path) {
        if (path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            return "absolute path";
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return "odd characters in path";
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : trimmed.split("/", -1)) {
            if (segment.equals("..")) {
                return "path escapes the artifact dir (..)";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "empty or '.' path segment";
            }
        }
        return null;
    }
}
