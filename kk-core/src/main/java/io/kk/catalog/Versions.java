package io.kk.catalog;

import java.util.Comparator;

/**
 * Orders versions as semver does ({@code v1.9.0 < v1.10.0 < v1.10.1}; a pre-release before its
 * release), with or without the leading {@code v}, and with any number of numeric parts ({@code
 * "2"}, {@code 24.0.6}).
 */
public final class Versions {
    /** Semver order; versions equal by it are then ordered by their text, so the order is total. */
    public static final Comparator<String> SEMVER = Versions::compare;

    private Versions() {}

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
