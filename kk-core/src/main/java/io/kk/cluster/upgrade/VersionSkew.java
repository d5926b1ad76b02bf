package io.kk.cluster.upgrade;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.error.KkException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * kubeadm's and KubeKey's upgrade rule: never down, at most one minor at a time; within the same
 * minor and into the next minor any patch is allowed (KubeKey goes straight to the requested patch
 * when it is in the next minor). Where KubeKey would step through the newest patch of each skipped
 * minor by itself, kk refuses and names that step, so each minor is its own, visible run.
 */
public final class VersionSkew {

    /** What moving from one version to another is. */
    public enum Step {
        /** Already there. */
        NONE,
        /** A newer patch of the same minor. */
        PATCH,
        /** The next minor. */
        MINOR
    }

    private VersionSkew() {}

    /**
     * @param known the Kubernetes versions kk knows (the catalog's), to name the next step in a hint
     * @throws KkException (INVALID_INPUT) for a downgrade or a skipped minor
     */
    public static Step check(String node, KubeVersion current, KubeVersion target, List<String> known) {
        String who = node.isEmpty() ? "the cluster" : node;
        if (current.major() != target.major()) {
            throw KkException.invalidInput(
                    who + " runs " + current + ": kk cannot upgrade across major versions to " + target,
                    "give a " + current.major() + ".x version");
        }
        int cmp = Comparator.comparingInt(KubeVersion::minor)
                .thenComparingInt(KubeVersion::patch)
                .compare(target, current);
        if (cmp < 0) {
            throw KkException.invalidInput(
                    who + " runs " + current + ", newer than " + target + ": kk does not downgrade",
                    "give " + current + " or a newer version; to go back, restore from an etcd backup");
        }
        if (cmp == 0) {
            return Step.NONE;
        }
        if (target.minor() == current.minor()) {
            return Step.PATCH;
        }
        if (target.minor() == current.minor() + 1) {
            return Step.MINOR;
        }
        String next = newestPatch(known, current.major(), current.minor() + 1)
                .orElse("v" + current.major() + "." + (current.minor() + 1) + ".x");
        throw KkException.invalidInput(
                who + " runs " + current + ": upgrading to " + target + " would skip "
                        + (target.minor() - current.minor() - 1) + " minor version(s); Kubernetes upgrades one minor"
                        + " at a time",
                "upgrade to " + next + " first (kk upgrade --with-kubernetes " + next + "), then to the next minor,"
                        + " up to " + target);
    }

    /** The newest known patch of a minor, e.g. v1.27.16 for 1.27. */
    static Optional<String> newestPatch(List<String> known, int major, int minor) {
        return known.stream()
                .map(v -> {
                    try {
                        return Optional.of(KubeVersion.parse(v));
                    } catch (IllegalArgumentException e) {
                        return Optional.<KubeVersion>empty();
                    }
                })
                .flatMap(Optional::stream)
                .filter(v -> v.major() == major && v.minor() == minor)
                .max(Comparator.comparingInt(KubeVersion::patch))
                .map(KubeVersion::text);
    }
}
