package io.kk.cluster.addons;

import io.kk.cluster.network.KubeStep;
import io.kk.config.Addon;
import io.kk.config.CustomScript;
import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.HostSelector;
import io.kk.plan.Shell;
import io.kk.plan.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An addon's {@code preInstall} / {@code postInstall} scripts, run as KubeKey runs them: on the hosts
 * of the script's {@code role} (every host when empty), in parallel, one script after the other,
 * as root with bash; its {@code materials} (local paths, relative to the config file) uploaded
 * first into the script's own directory under {@code /tmp/kubekey}, where it runs and which is
 * removed afterwards. A failing script fails the addon with its exit code and the tail of its output;
 * the script's text never reaches events or errors (it may hold secrets), only its output does.
 *
 * <p>Idempotence: an addon with scripts is complete when the mark written after its postInstall
 * scripts holds the fingerprint of its steps and scripts. A rerun of a complete addon runs no script;
 * any change (a script, a material, the chart, a values file) runs them all again around the addon.
 */
final class AddonScripts {
    static final String WORK_DIR = "/tmp/kubekey";

    private AddonScripts() {}

    /** Whether the addon was complete when this run looked (before its preInstall scripts). */
    static final class State {
        private final AtomicBoolean complete = new AtomicBoolean();

        boolean complete() {
            return complete.get();
        }
    }

    /** The mark on the first control plane saying the addon with these steps and scripts is complete. */
    static String markPath(Addon a) {
        return KubeStep.STAMP_DIR + "/addon-" + a.name() + ".complete";
    }

    /** sha256 over the addon's steps (their stamps) and its scripts with their materials. */
    static String fingerprint(Addon a, List<KubeStep> steps, Path configDir) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (KubeStep s : steps) {
                md.update((s.stamp() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (List<CustomScript> phase : List.of(a.preInstall(), a.postInstall())) {
                md.update("--\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (CustomScript sc : phase) {
                    md.update((sc.name() + "\n" + sc.role() + "\n" + sc.bash() + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    for (Path m : materials(a, sc, configDir)) {
                        md.update(m.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        try (InputStream in = Files.newInputStream(m)) {
                            md.update(in.readAllBytes());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "addon " + a.name() + ": cannot read a script material: " + io.kk.error.Causes.describe(e),
                    "materials are paths relative to the config file's directory");
        }
    }

    /** The script's materials on the control machine; each must exist. */
    static List<Path> materials(Addon a, CustomScript sc, Path configDir) {
        List<Path> out = new ArrayList<>();
        for (String m : sc.materials()) {
            Path p = configDir.resolve(m);
            if (!Files.isRegularFile(p)) {
                throw KkException.invalidInput(
                        "addon " + a.name() + ": material " + m + " of script " + sc.name() + " does not exist (" + p
                                + ")",
                        "materials are files, relative to the config file's directory");
            }
            out.add(p);
        }
        return out;
    }

    /** The hosts a script runs on, from its role (KubeKey: every host when empty). */
    static HostSelector hosts(Addon a, CustomScript sc) {
        try {
            return HostSelector.byRoleName(sc.role());
        } catch (IllegalArgumentException e) {
            throw KkException.invalidInput(
                    "addon " + a.name() + ": script " + sc.name() + " names the unknown role " + sc.role(),
                    "use etcd, master, control-plane, worker, registry, k8s or leave it empty for all hosts");
        }
    }

    /** Looks at the mark on the first control plane; records whether the addon is complete. */
    static Action check(Addon a, String fingerprint, State state) {
        String probe = "grep -qx " + Shell.quote(fingerprint) + " " + Shell.quote(markPath(a));
        return Actions.of(
                "addon " + a.name() + " complete?",
                t -> List.of("$ " + probe + "    # complete: its scripts do not run again"),
                h -> {
                    boolean done = h.sudo(probe).ok();
                    state.complete.set(done);
                    return ActionResult.unchanged(done ? "complete" : "to install");
                });
    }

    /** Writes the mark once the postInstall scripts have run. */
    static Action mark(Addon a, String fingerprint, State state) {
        String write = "mkdir -p " + KubeStep.STAMP_DIR + " && chmod 0700 " + KubeStep.STAMP_DIR + " && echo "
                + fingerprint + " > " + Shell.quote(markPath(a));
        return Actions.of("addon " + a.name() + " complete", t -> List.of("$ " + write), h -> {
            if (state.complete()) {
                return ActionResult.unchanged("complete");
            }
            h.sudoOk(write);
            return ActionResult.changed("marked complete");
        });
    }

    /** One script as an action on each of its hosts. */
    static Action script(Addon a, String phase, int index, CustomScript sc, List<Path> materials, State state) {
        String dir = WORK_DIR + "/addon-" + a.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + phase + "-" + index;
        String run = "cd " + Shell.quote(dir) + " && /bin/bash task.sh";
        String what = "addon " + a.name() + " " + phase + " script " + sc.name();
        return new Action() {
            @Override
            public String name() {
                return phase + " " + sc.name();
            }

            @Override
            public List<String> describe(Target t) {
                List<String> lines = new ArrayList<>();
                lines.add("# unless the addon is complete (its scripts ran with this content)");
                lines.add("$ rm -rf " + Shell.quote(dir) + " && mkdir -p " + Shell.quote(dir) + " && chmod 0700 "
                        + Shell.quote(dir));
                for (Path m : materials) {
                    lines.add("upload " + m + " -> " + dir + "/" + m.getFileName());
                }
                lines.add("write " + dir + "/task.sh mode 0700 ("
                        + sc.bash().lines().count() + " lines, sha256 "
                        + Actions.sha256(sc.bash()).substring(0, 12) + ")");
                lines.add("$ " + run);
                lines.add("$ rm -rf " + Shell.quote(dir));
                return lines;
            }

            @Override
            public ActionResult apply(HostContext h) {
                if (state.complete()) {
                    return ActionResult.unchanged("the addon is complete");
                }
                if (sc.bash().isBlank()) {
                    throw KkException.invalidInput(what + " has no bash", "give the script's commands in bash");
                }
                h.sudoOk("rm -rf " + Shell.quote(dir) + " && mkdir -p " + Shell.quote(dir) + " && chmod 0700 "
                        + Shell.quote(dir));
                for (Path m : materials) {
                    h.upload(m, dir + "/" + m.getFileName(), 0644);
                }
                Actions.ensure(h, dir + "/task.sh", sc.bash(), 0700);
                CommandResult r = h.sudo(run);
                String output = r.stdout() + (r.stderr().isBlank() ? "" : r.stderr());
                h.output(output);
                if (!r.ok()) {
                    // the materials stay for a look at what failed, as KubeKey keeps them; the script
                    // text goes (it may hold secrets)
                    h.sudo("rm -f " + Shell.quote(dir + "/task.sh"));
                    throw KkException.failed(
                            h.hostName() + ": " + what + " failed (exit " + r.exitCode() + ")" + tail(output),
                            "its materials are in " + dir + " on " + h.hostName()
                                    + "; fix the script and run kk again");
                }
                h.sudoOk("rm -rf " + Shell.quote(dir));
                return ActionResult.changed("ran");
            }
        };
    }

    /** The last lines of a script's output, for its error. */
    static String tail(String output) {
        String[] lines = output.strip().split("\n");
        if (output.isBlank()) {
            return "";
        }
        int from = Math.max(0, lines.length - 10);
        return ":\n  " + String.join("\n  ", Arrays.copyOfRange(lines, from, lines.length));
    }
}
