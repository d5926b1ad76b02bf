package io.kk.cluster.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pods that would not leave a node, read from what a failed {@code kubectl drain} printed:
 * evictions refused (a PodDisruptionBudget) or cut by the timeout, pods still terminating, and
 * pods kubectl refuses to delete at all ("cannot delete Pods ... : ns/a, ns/b").
 */
public final class DrainReport {

    /** One pod that stayed, with why, as kubectl said it. */
    public record StuckPod(String namespace, String name, String reason) {
        public String render() {
            return namespace + "/" + name + ": " + reason;
        }
    }

    // error when evicting pods/"web-1" -n "default" (will retry after 5s): Cannot evict pod as ...
    // error when evicting pods/"web-1" -n "default": global timeout reached: 2m0s
    private static final Pattern EVICT = Pattern.compile(
            "error when evicting pods/\"([^\"]+)\" -n \"([^\"]+)\"(?: \\(will retry after [^)]*\\))?: ([^,\\]\\n]+)");
    // error when waiting for pod "slow-0" terminating: global timeout reached: 2m0s
    private static final Pattern WAIT =
            Pattern.compile("error when waiting for pod \"([^\"]+)\" terminating: ([^,\\]\\n]+)");
    // cannot delete Pods with local storage (use --delete-emptydir-data to override): default/a, default/b
    private static final Pattern CANNOT =
            Pattern.compile("cannot delete ([^:\\n]+?) \\(use (--[a-z-]+) to override\\): "
                    + "((?:[a-z0-9][-a-z0-9.]*/[a-z0-9][-a-z0-9.]*(?:, )?)+)");
    private static final Pattern POD_REF = Pattern.compile("([a-z0-9][-a-z0-9.]*)/([a-z0-9][-a-z0-9.]*)");
    // evicting pod default/slow-0
    private static final Pattern EVICTING = Pattern.compile("evicting pod ([^/\\s]+)/(\\S+)");

    private DrainReport() {}

    /** Every pod kubectl names as staying, once each, in the order it named them. */
    public static List<StuckPod> parse(String output) {
        String text = output == null ? "" : output;
        Map<String, String> namespaceOf = new LinkedHashMap<>();
        Matcher ev = EVICTING.matcher(text);
        while (ev.find()) {
            namespaceOf.put(ev.group(2), ev.group(1));
        }
        Map<String, StuckPod> out = new LinkedHashMap<>();
        Matcher m = EVICT.matcher(text);
        while (m.find()) {
            add(out, m.group(2), m.group(1), m.group(3));
        }
        m = WAIT.matcher(text);
        while (m.find()) {
            add(out, namespaceOf.getOrDefault(m.group(1), "?"), m.group(1), "still terminating: " + m.group(2));
        }
        m = CANNOT.matcher(text);
        while (m.find()) {
            String reason = "kubectl cannot delete " + m.group(1) + " (without " + m.group(2) + ")";
            Matcher pods = POD_REF.matcher(m.group(3));
            while (pods.find()) {
                add(out, pods.group(1), pods.group(2), reason);
            }
        }
        return List.copyOf(out.values());
    }

    /** A pod named twice keeps its most telling reason: a disruption budget beats a bare timeout. */
    private static void add(Map<String, StuckPod> out, String ns, String name, String reason) {
        String key = ns + "/" + name;
        String r = reason.strip();
        StuckPod had = out.get(key);
        if (had == null || (had.reason().contains("timeout") && !r.contains("timeout"))) {
            out.put(key, new StuckPod(ns, name, r));
        }
    }

    /** The report for a message: one line per pod, or a note that kubectl named none. */
    public static String render(List<StuckPod> pods) {
        if (pods.isEmpty()) {
            return "kubectl named no pod that stayed";
        }
        List<String> lines = new ArrayList<>();
        pods.forEach(p -> lines.add("  " + p.render()));
        return pods.size() + " pod(s) would not leave:\n" + lines.stream().collect(Collectors.joining("\n"));
    }
}
