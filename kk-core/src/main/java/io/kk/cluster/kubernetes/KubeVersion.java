package io.kk.cluster.kubernetes;

import io.kk.catalog.Versions;
import java.util.Objects;

/**
 * A Kubernetes release such as {@code v1.26.5}: the generators branch on its minor version (kubeadm
 * API, feature gates, taints, pause tag).
 *
 * @param text as the config spells it, always with the leading {@code v}
 */
public record KubeVersion(String text, int major, int minor, int patch) {

    public KubeVersion {
        Objects.requireNonNull(text, "text");
    }

    public static KubeVersion parse(String version) {
        String s = version.trim();
        String bare = s.startsWith("v") ? s.substring(1) : s;
        try {
            int[] n = Versions.numbers(s, 3);
            return new KubeVersion("v" + bare, n[0], n[1], n[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Kubernetes version (vMAJOR.MINOR.PATCH): " + version, e);
        }
    }

    /** True when this release is 1.{@code minor} or later (kk only handles 1.x). */
    public boolean atLeast(int minorVersion) {
        return major > 1 || (major == 1 && minor >= minorVersion);
    }

    public boolean below(int minorVersion) {
        return !atLeast(minorVersion);
    }

    @Override
    public String toString() {
        return text;
    }
}
