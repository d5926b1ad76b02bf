package io.kk.cluster.node;

import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.host.RemoteCommand;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostValues;
import io.kk.plan.Target;
import java.time.Duration;
import java.util.List;

/**
 * The actions about one node that kk's day-two commands share. The kubectl ones run on a control
 * plane (the task picks it) and name the node they are about.
 */
public final class NodeSteps {
    private NodeSteps() {}

    /** Learns whether the host runs kubelet; never changes anything. */
    public static Action kubeletProbe(HostValues<Boolean> kubelet) {
        return Actions.of(
                "kubelet present",
                t -> List.of("$ " + Kubectl.kubeletInstalled() + "    # no kubelet: the kubelet/kubectl steps skip"),
                h -> {
                    boolean present = h.sudo(Kubectl.kubeletInstalled()).ok();
                    kubelet.put(h.target(), present);
                    return ActionResult.unchanged(present ? "kubelet present" : "no kubelet: not a Kubernetes node");
                });
    }

    /** Cordons the node, then drains it; a drain that fails names every pod that would not leave. */
    public static Action cordonAndDrain(Target node, Duration timeout) {
        String cordon = Kubectl.cordon(node.name());
        String drain = Kubectl.drain(node.name(), timeout);
        return Actions.of("drain " + node.name(), t -> List.of("$ " + cordon, "$ " + drain), h -> {
            h.sudoOk(cordon);
            CommandResult r = h.run(RemoteCommand.sudo(drain).withTimeout(timeout.plusMinutes(1)));
            if (!r.ok()) {
                List<DrainReport.StuckPod> stuck = DrainReport.parse(r.stdout() + "\n" + r.stderr());
                throw KkException.failed(
                        h.hostName() + ": drain of " + node.name() + " did not finish within " + timeout.toSeconds()
                                + "s: " + DrainReport.render(stuck),
                        "move or delete those pods (check PodDisruptionBudgets), or give a longer --timeout, and"
                                + " run again; " + node.name() + " stays cordoned ('kubectl uncordon "
                                + node.name() + "' undoes it)");
            }
            return ActionResult.changed("cordoned and drained");
        });
    }

    public static Action uncordon(Target node) {
        return Actions.of("uncordon " + node.name(), t -> List.of("$ " + Kubectl.uncordon(node.name())), h -> {
            h.sudoOk(Kubectl.uncordon(node.name()));
            return ActionResult.changed();
        });
    }

    /** Waits until the node is Ready, at {@code version} when it is not empty. */
    public static Action waitReady(Target node, String version, Duration timeout) {
        String wait = Kubectl.waitReady(node.name(), version, timeout);
        return Actions.of(
                "wait " + node.name() + " ready",
                t -> List.of("$ " + wait + "    # health wait: Ready" + (version.isEmpty() ? "" : " at " + version)),
                h -> {
                    h.run(RemoteCommand.sudo(wait).withTimeout(timeout.plusMinutes(1)))
                            .orThrow(h.hostName(), "wait for " + node.name() + " to be Ready");
                    return ActionResult.unchanged(node.name() + " Ready" + (version.isEmpty() ? "" : " at " + version));
                });
    }

    /** A root command on the host, always run (a restart, an install step). */
    public static Action command(String name, String command) {
        return Actions.of(name, t -> List.of("$ " + command), h -> {
            h.sudoOk(command);
            return ActionResult.changed();
        });
    }

    /** A root command with a long timeout (kubeadm upgrade may take many minutes). */
    public static Action longCommand(String name, String command, Duration timeout) {
        return Actions.of(name, t -> List.of("$ " + command), h -> {
            h.run(RemoteCommand.sudo(command).withTimeout(timeout)).orThrow(h.hostName(), name);
            return ActionResult.changed();
        });
    }
}
