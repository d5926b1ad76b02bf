package io.kk.cluster.upgrade;

import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * kubeadm's {@code /var/lib/kubelet/kubeadm-flags.env} across 1.24, where kubelet lost dockershim:
 * its flags ({@code --network-plugin=cni}, the CNI dirs, {@code --docker-endpoint}, ...) make the
 * new kubelet refuse to start, and {@code --container-runtime} is deprecated (gone in 1.27: remote
 * is the only runtime). KubeKey 3.x writes {@code KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=
 * <endpoint>"} over the file when the target is 1.24 or later; kk drops the same flags and sets the
 * same endpoint but keeps the other flags kubeadm wrote (e.g. {@code --pod-infra-container-image},
 * which pins the sandbox image to the private registry). The result is stable: a second rewrite
 * changes nothing.
 */
public final class KubeletFlags {
    public static final String PATH = "/var/lib/kubelet/kubeadm-flags.env";
    static final String VAR = "KUBELET_KUBEADM_ARGS";
    static final String ENDPOINT = "--container-runtime-endpoint";

    /** Flags kubelet 1.24 no longer accepts (dockershim's), and the deprecated runtime switch. */
    static final Set<String> REMOVED = Set.of(
            "--network-plugin",
            "--network-plugin-mtu",
            "--cni-bin-dir",
            "--cni-conf-dir",
            "--cni-cache-dir",
            "--docker-endpoint",
            "--image-pull-progress-deadline",
            "--experimental-dockershim-root-directory",
            "--dockershim-root-directory",
            "--container-runtime");

    private KubeletFlags() {}

    /** True when an upgrade to {@code target} rewrites the file. */
    public static boolean applies(KubeVersion target) {
        return target.atLeast(24);
    }

    /**
     * The file with the removed flags dropped and {@code --container-runtime-endpoint} set, the
     * flags sorted by name as kubeadm writes them; other lines kept.
     */
    public static String rewrite(String env, String endpoint) {
        List<String> lines = new ArrayList<>(List.of(env.split("\n", -1)));
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(VAR + "=")) {
                at = i;
                break;
            }
        }
        String value = at < 0 ? "" : lines.get(at).substring(VAR.length() + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        List<String> flags = new ArrayList<>();
        for (String f : value.strip().split("\\s+")) {
            String name = f.contains("=") ? f.substring(0, f.indexOf('=')) : f;
            if (!f.isEmpty() && !REMOVED.contains(name) && !name.equals(ENDPOINT)) {
                flags.add(f);
            }
        }
        flags.add(ENDPOINT + "=" + endpoint);
        flags.sort(Comparator.comparing((String f) -> f.contains("=") ? f.substring(0, f.indexOf('=')) : f));
        String line = VAR + "=\"" + String.join(" ", flags) + "\"";
        if (at < 0) {
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.add(lines.size() - 1, line);
            } else {
                lines.add(line);
                lines.add("");
            }
        } else {
            lines.set(at, line);
        }
        return String.join("\n", lines);
    }

    /** The node's file rewritten when it differs; a node without the file (no kubeadm node) is skipped. */
    static Action action(String endpoint) {
        return Actions.of(
                "kubelet flags for 1.24+",
                t -> List.of(
                        "$ cat " + PATH,
                        "write " + PATH + " mode 0644 when different: without --network-plugin and the other"
                                + " dockershim flags, " + ENDPOINT + "=" + endpoint),
                h -> {
                    CommandResult cat = h.sudo("cat " + PATH);
                    if (!cat.ok()) {
                        return ActionResult.skipped("no " + PATH + " here");
                    }
                    String want = rewrite(cat.stdout(), endpoint);
                    if (want.equals(cat.stdout())) {
                        return ActionResult.unchanged(PATH);
                    }
                    Actions.ensure(h, PATH, want, 0644);
                    return ActionResult.changed(PATH);
                });
    }
}
