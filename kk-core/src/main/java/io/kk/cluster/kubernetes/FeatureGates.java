package io.kk.cluster.kubernetes;

import io.kk.error.InvalidInputException;
import io.kk.error.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The feature gates kk turns on by default (KubeKey's set) and the gates Kubernetes has removed.
 * A removed gate is fatal: kubelet and the control-plane components refuse to start with an
 * unknown gate, so a default is only set while its gate exists, and a removed gate in the user's
 * config is reported before anything runs.
 */
public final class FeatureGates {

    /**
     * One gate and the releases it can be named in: {@code [sinceMinor, removedInMinor)}.
     * {@code removedInMinor} 0 means it still exists.
     */
    record Gate(String name, int sinceMinor, int removedInMinor) {
        boolean existsIn(KubeVersion v) {
            return v.atLeast(sinceMinor) && (removedInMinor == 0 || v.below(removedInMinor));
        }
    }

    /**
     * KubeKey's defaults, each true, with the window kk sets them in. KubeKey itself stops
     * TTLAfterFinished at 1.24 (GA in 1.23, removed in 1.25) and starts CSIStorageCapacity at 1.21;
     * the upper bounds of the other two are upstream's removals.
     */
    static final List<Gate> DEFAULTS = List.of(
            // Beta since 1.12 and still a gate (kubelet serving certificates via CSR).
            new Gate("RotateKubeletServerCertificate", 7, 0),
            new Gate("TTLAfterFinished", 12, 24),
            // GA in 1.24, removed in 1.27.
            new Gate("ExpandCSIVolumes", 14, 27),
            // GA in 1.24, removed in 1.28.
            new Gate("CSIStorageCapacity", 21, 28));

    /**
     * Gates Kubernetes removed, by the first minor release that no longer knows them (from the
     * upstream "feature gates (removed)" reference). Not exhaustive: the gates kk sets itself and
     * the ones users most often carried over from old configs.
     */
    static final Map<String, Integer> REMOVED_IN = Map.of(
            "TTLAfterFinished", 25,
            "ExpandCSIVolumes", 27,
            "CSIStorageCapacity", 28,
            "IPv6DualStack", 25,
            "DynamicKubeletConfig", 26,
            "EphemeralContainers", 27,
            "CSIMigration", 27,
            "PodSecurity", 28);

    private FeatureGates() {}

    /** The Kubernetes minor release that removed {@code gate}, if kk knows it was removed. */
    public static Optional<Integer> removedIn(String gate) {
        return Optional.ofNullable(REMOVED_IN.get(gate));
    }

    /** True when {@code gate} is known to be gone in {@code version}. */
    public static boolean isRemoved(String gate, KubeVersion version) {
        return removedIn(gate).map(version::atLeast).orElse(false);
    }

    /** kk's defaults for {@code version} overlaid by the user's gates (user values win), by name. */
    public static Map<String, Boolean> effective(KubeVersion version, Map<String, Boolean> user) {
        TreeMap<String, Boolean> gates = new TreeMap<>();
        for (Gate g : DEFAULTS) {
            if (g.existsIn(version)) {
                gates.put(g.name(), true);
            }
        }
        gates.putAll(user);
        return gates;
    }

    /** {@code A=true,B=false}: the {@code --feature-gates} flag value. */
    public static String flag(Map<String, Boolean> gates) {
        StringBuilder b = new StringBuilder();
        gates.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(k).append('=').append(v);
        });
        return b.toString();
    }

    /**
     * Fails with every removed gate the user asked for, in {@code kubernetes.featureGates} and in
     * {@code kubernetes.kubeletConfiguration.featureGates}.
     */
    static void checkUserGates(KubeVersion version, Map<String, Boolean> user, Map<String, Object> kubeletConfig) {
        List<Problem> problems = new ArrayList<>();
        check(version, user.keySet(), "spec.kubernetes.featureGates", problems);
        if (kubeletConfig.get("featureGates") instanceof Map<?, ?> kubeletGates) {
            check(
                    version,
                    kubeletGates.keySet().stream().map(String::valueOf).toList(),
                    "spec.kubernetes.kubeletConfiguration.featureGates",
                    problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("feature gates not known to Kubernetes " + version, problems);
        }
    }

    private static void check(KubeVersion version, Iterable<String> gates, String path, List<Problem> problems) {
        for (String gate : gates) {
            removedIn(gate)
                    .filter(version::atLeast)
                    .ifPresent(minor -> problems.add(new Problem(
                            Problem.Severity.ERROR,
                            "",
                            0,
                            path + "." + gate,
                            "feature gate " + gate + " was removed in Kubernetes 1." + minor + " (target " + version
                                    + "); kubelet and the control plane refuse to start with it",
                            "remove " + gate + " from " + path)));
        }
    }
}
