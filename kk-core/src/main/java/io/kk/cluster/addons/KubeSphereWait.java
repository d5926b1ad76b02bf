package io.kk.cluster.addons;

import io.kk.cluster.network.KubeStep;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.PlanRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Waits for ks-installer to finish, as KubeKey's check does: it polls for the file the installer
 * writes when KubeSphere is up ({@code /kubesphere/playbooks/kubesphere_running}, holding the welcome
 * message with the console address) inside the installer pod, and shows that message. Unlike
 * KubeKey, which waits forever, kk gives up after a timeout, and early when the installer pod is
 * stuck (its image cannot be pulled, it crash-loops), failing with the installer's last log lines.
 * Progress goes out about once a minute as the action's output.
 */
public final class KubeSphereWait {
    static final String NAMESPACE = "kubesphere-system";
    static final String RESULT_FILE = "/kubesphere/playbooks/kubesphere_running";
    /** Polls in a row that see the pod stuck before kk gives up. */
    static final int STUCK_POLLS = 3;

    static final Set<String> STUCK = Set.of(
            "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "InvalidImageName");

    /**
     * @param timeout how long the installer may take
     * @param interval pause between polls
     * @param sleeper waits the interval (tests pass one that moves their clock)
     */
    public record Timing(Duration timeout, Duration interval, PlanRunner.Sleeper sleeper) {
        /** One hour (a full KubeSphere with its optional components takes long), polls every 10 s. */
        public static Timing defaults() {
            return new Timing(Duration.ofMinutes(60), Duration.ofSeconds(10), d -> Thread.sleep(d.toMillis()));
        }
    }

    private KubeSphereWait() {}

    private static String installerPod() {
        return "$(" + KubeStep.KUBECTL + " -n " + NAMESPACE
                + " get pod -l app=ks-installer -o jsonpath='{.items[0].metadata.name}')";
    }

    /** Prints the welcome message once the installer has finished; fails before. */
    public static String resultCommand() {
        return KubeStep.KUBECTL + " -n " + NAMESPACE + " exec " + installerPod() + " -- cat " + RESULT_FILE;
    }

    /** The installer pod's phase and, when its container waits, why. */
    public static String statusCommand() {
        return KubeStep.KUBECTL + " -n " + NAMESPACE
                + " get pod -l app=ks-installer -o jsonpath='{.items[0].status.phase}"
                + " {.items[0].status.containerStatuses[0].state.waiting.reason}'";
    }

    public static String logsCommand() {
        return KubeStep.KUBECTL + " -n " + NAMESPACE + " logs -l app=ks-installer --tail=20";
    }

    public static Action action(Timing timing) {
        return Actions.of(
                "wait for ks-installer",
                t -> List.of(
                        "$ " + resultCommand() + "    # every "
                                + timing.interval().toSeconds() + " s, up to "
                                + timing.timeout().toMinutes() + " min: the welcome message once KubeSphere runs",
                        "$ " + statusCommand() + "    # a stuck pod (image pull, crash loop) ends the wait early",
                        "$ " + logsCommand() + "    # on failure: the installer's last log lines"),
                h -> waitForInstaller(h, timing));
    }

    private static ActionResult waitForInstaller(HostContext h, Timing timing) {
        Instant start = h.clock().instant();
        Instant deadline = start.plus(timing.timeout());
        Instant lastProgress = start;
        int stuck = 0;
        for (int poll = 0; ; poll++) {
            CommandResult result = h.sudo(resultCommand());
            if (result.ok() && !result.stdout().isBlank()) {
                h.output(result.stdout());
                return poll == 0
                        ? ActionResult.unchanged("KubeSphere runs")
                        : ActionResult.changed("installed in "
                                + minutes(Duration.between(start, h.clock().instant())));
            }
            String status = h.sudo(statusCommand()).stdout().strip();
            String reason = status.contains(" ")
                    ? status.substring(status.indexOf(' ') + 1).strip()
                    : "";
            stuck = STUCK.contains(reason) ? stuck + 1 : 0;
            if (stuck >= STUCK_POLLS) {
                throw failure(
                        h,
                        "ks-installer is stuck (" + reason + ")",
                        reason.contains("Image")
                                ? "push the KubeSphere images to the registry (kk artifact import, or kk create manifest"
                                        + " --with-kubesphere for the artifact) and run kk again"
                                : "see the installer's log: kubectl -n " + NAMESPACE + " logs -l app=ks-installer");
            }
            Instant now = h.clock().instant();
            if (!now.isBefore(deadline)) {
                throw failure(
                        h,
                        "ks-installer did not finish within " + minutes(timing.timeout()),
                        "follow it with: kubectl -n " + NAMESPACE + " logs -l app=ks-installer -f; run kk again to"
                                + " keep waiting");
            }
            if (poll == 0
                    || !Duration.between(lastProgress, now).minusMinutes(1).isNegative()) {
                h.output("waiting for ks-installer: " + minutes(Duration.between(start, now)) + " of "
                        + minutes(timing.timeout()) + (status.isBlank() ? "" : ", pod " + status));
                lastProgress = now;
            }
            try {
                timing.sleeper().sleep(timing.interval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KkException.failed("interrupted while waiting for ks-installer", "");
            }
        }
    }

    private static KkException failure(HostContext h, String what, String hint) {
        CommandResult logs = h.sudo(logsCommand());
        String text = (logs.stdout().isBlank() ? logs.stderr() : logs.stdout()).strip();
        return KkException.failed(
                h.hostName() + ": " + what
                        + (text.isEmpty()
                                ? ""
                                : "; its last log lines:\n  "
                                        + String.join("\n  ", text.lines().toList())),
                hint);
    }

    private static String minutes(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s / 60 + " min";
    }
}
