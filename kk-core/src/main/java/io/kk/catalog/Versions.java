package io.kk.catalog;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kk's one place for reading version strings: orders versions as semver does ({@code v1.9.0 <
 * v1.10.0 < v1.10.1}; a pre-release before its release), with or without the leading {@code v}, and
 * with any number of numeric parts ({@code "2"}, {@code 24.0.6}); checks and reads Kubernetes-style
 * versions ({@code v1.28.2}).
 */
public final class Versions {
    /** Semver order; versions equal by it are then ordered by their text, so the order is total. */
    public static final Comparator<String> SEMVER = Versions::compare;

    /** A Kubernetes version as a Cluster config spells it: {@code v1.28.2}. */
    public static final Pattern KUBE = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    /** Component versions are looser: {@code v3.9.0}, {@code 1.6.4}, {@code 2}, {@code 24.0.6}. */
    public static final Pattern COMPONENT = Pattern.compile("v?\\d+(\\.\\d+)*([-+][0-9A-Za-z.-]+)?");

    private Versions() {}

    /** True for a version matching {@link #KUBE} exactly. */
    public static boolean isKube(String v) {
        return v != null && KUBE.matcher(v).matches();
    }

    /** True when {@code version} matches {@link #KUBE} and is {@code major.minor} or later. */
    public static boolean atLeast(String version, int major, int minor) {
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

    /**
     * The first {@code count} numbers of a version such as {@code v1.28.2}, {@code 1.24.7+k3s1} or
     * {@code v1.29.0-rc.1} (the leading {@code v} is optional; parts are split at {@code . + -}).
     *
     * @throws IllegalArgumentException when it has fewer than {@code count} parts or one of them is
     *     not a number
     */
    public static int[] numbers(String version, int count) {
        String s = version.trim();
        String[] parts = (s.startsWith("v") ? s.substring(1) : s).split("[.+-]");
        if (parts.length < count) {
            throw new IllegalArgumentException("not a version with " + count + " numeric parts: " + version);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    public static int compare(String a, String b) {
        String[] ma = split(a);
        String[] mb = split(b);
        String[] na = ma[0].split("\\.");
        String[] nb = mb[0].split("\\.");
        for (int i = 0; i < Math.max(na.length, nb.length); i++) {
            int c = comparePart(i < na.length ? na[i] : "0", i < nb.length ? nb[i] : "0");
            if (c != 0) {
                return c;
            }
        }
        // No pre-release ranks above any pre-release (1.0.0-rc.1 < 1.0.0).
        if (ma[1].isEmpty() != mb[1].isEmpty()) {
            return ma[1].isEmpty() ? 1 : -1;
        }
        String[] pa = ma[1].split("\\.");
        String[] pb = mb[1].split("\\.");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = comparePart(pa[i], pb[i]);
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(pa.length, pb.length);
        return c != 0 ? c : a.compareTo(b);
    }

    /** {numeric core, pre-release}; build metadata (after +) is ignored for precedence. */
    private static String[] split(String version) {
        String v = version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
        int plus = v.indexOf('+');
        if (plus >= 0) {
            v = v.substring(0, plus);
        }
        int dash = v.indexOf('-');
        return dash >= 0 ? new String[] {v.substring(0, dash), v.substring(dash + 1)} : new String[] {v, ""};
    }

    private static int comparePart(String a, String b) {
        boolean numA = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean numB = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
        if (numA && numB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numA != numB) {
            return numA ? -1 : 1; // numeric identifiers rank below alphanumeric ones
        }
        return a.compareTo(b);
    }
}
