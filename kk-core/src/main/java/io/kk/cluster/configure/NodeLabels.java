package io.kk.cluster.configure;

import io.kk.cluster.network.KubeStep;
import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.error.KkException;
import io.kk.plan.Shell;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code hosts[].labels} on the Kubernetes nodes, as KubeKey's {@code ConfigureKubernetes} sets
 * them: {@code kubectl label --overwrite node <name> key=value} from the first control plane.
 * Labels removed from the config are left on the node (KubeKey never removes them either).
 */
public final class NodeLabels {
    /** A label key: optional DNS-subdomain prefix and "/", then a name of up to 63 characters. */
    private static final Pattern KEY = Pattern.compile(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");

    private static final Pattern VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");

    private NodeLabels() {}

    /** One step labelling every Kubernetes node that has labels; none when no host has any. */
    public static List<KubeStep> steps(ClusterConfig c) {
        StringBuilder cmd = new StringBuilder();
        for (Host h : c.k8sHosts()) {
            if (h.labels().isEmpty()) {
                continue;
            }
            if (!cmd.isEmpty()) {
                cmd.append(" && ");
            }
            cmd.append(KubeStep.KUBECTL).append(" label --overwrite node ").append(Shell.quote(h.name()));
            // sorted: the same labels give the same command, so a rerun finds its stamp
            for (Map.Entry<String, String> l : new TreeMap<>(h.labels()).entrySet()) {
                check(h, l.getKey(), l.getValue());
                cmd.append(' ').append(Shell.quote(l.getKey() + "=" + l.getValue()));
            }
        }
        if (cmd.isEmpty()) {
            return List.of();
        }
        return List.of(new KubeStep("node-labels", Map.of(), Map.of(), cmd.toString(), 6, 10));
    }

    private static void check(Host h, String key, String value) {
        String prefixed = key.contains("/") ? key.substring(0, key.indexOf('/')) : "";
        if (!KEY.matcher(key).matches() || prefixed.length() > 253) {
            throw KkException.invalidInput(
                    "hosts[" + h.name() + "].labels: " + key + " is not a Kubernetes label key",
                    "use [prefix/]name with letters, digits, '-', '_' and '.', at most 63 characters in the name");
        }
        if (!VALUE.matcher(value).matches()) {
            throw KkException.invalidInput(
                    "hosts[" + h.name() + "].labels." + key + ": \"" + value + "\" is not a Kubernetes label value",
                    "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
    }
}
