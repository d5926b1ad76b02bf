package io.kk.image;

import java.util.Locale;

/** An image platform; {@code variant} may be empty. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }

    /** Parses {@code amd64}, {@code arm64/v8}, {@code linux/arm/v7} (os defaults to linux). */
    public static Platform parse(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split("/");
        if (p.length == 3) {
            return new Platform(p[0], p[1], p[2]);
        }
        if (p.length == 2 && p[0].equals("linux")) {
            return new Platform("linux", p[1], "");
        }
        if (p.length == 2) {
            return new Platform("linux", p[0], p[1]);
        }
        return new Platform("linux", p[0], "");
    }

    /**
     * True when this (a filter such as {@code arm64}) selects {@code other} (an index entry). An
     * empty variant in the filter matches any variant.
     */
    public boolean selects(Platform other) {
        return (os.isEmpty() || os.equals(other.os))
                && architecture.equals(other.architecture)
                && (variant.isEmpty() || variant.equals(other.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
