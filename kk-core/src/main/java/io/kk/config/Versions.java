package io.kk.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes-style versions ({@code v1.28.2}). */
final class Versions {
    static final Pattern KUBE = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    /** Component versions are looser: {@code v3.9.0}, {@code 1.6.4}, {@code 2}, {@code 24.0.6}. */
    static final Pattern COMPONENT = Pattern.compile("v?\\d+(\\.\\d+)*([-+][0-9A-Za-z.-]+)?");

    private Versions() {}

    static boolean isKube(String v) {
        return v != null && KUBE.matcher(v).matches();
    }

    static boolean atLeast(String version, int major, int minor) {
        if (version == null) {
            return false;
        }
        Matcher m = KUBE.matcher(version);
        if (!m.matches()) {
            return false;
        }
        int ma = Integer.parseInt(m.group(1));
        int mi = Integer.parseInt(m.group(2));
        return ma > major || (ma == major && mi >= minor);
    }
}
