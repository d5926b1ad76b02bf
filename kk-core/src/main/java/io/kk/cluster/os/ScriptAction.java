package io.kk.cluster.os;

import io.kk.host.CommandResult;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs a user script as root in its own directory, materials uploaded beside it, output passed on
 * as an event. After a successful run kk records the script's fingerprint (sha256 of the script
 * and its materials) under /var/lib/kubekey/scripts, so a rerun skips a script that already ran
 * in this form (reported unchanged); editing the script or a material makes it run again.
 */
final class ScriptAction implements Action {
    static final String DIR = "/tmp/kubekey/scripts";
    static final String MARKS = "/var/lib/kubekey/scripts";

    private final String phase;
    private final CustomScript script;
    private final String safeName;

    ScriptAction(String phase, CustomScript script) {
        this.phase = phase;
        this.script = script;
        this.safeName = script.name().replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    @Override
    public String name() {
        return phase + " " + script.name();
    }

    String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(script.bash().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Path m : script.materials()) {
                md.update(m.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(m));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a material of script " + script.name(), e);
        }
    }

    private String mark() {
        return MARKS + "/" + phase + "-" + safeName + ".sha256";
    }

    private String workDir() {
        return DIR + "/" + safeName;
    }

    private String runCommand() {
        // the directory exists only when materials were uploaded into it
        return "mkdir -p " + workDir() + " && cd " + workDir() + " && bash " + workDir() + ".sh";
    }

    @Override
    public List<String> describe(Target target) {
        List<String> lines = new ArrayList<>();
        lines.add("$ cat " + mark() + "    # skip when this script already ran in this form");
        for (Path m : script.materials()) {
            lines.add("upload " + m + " -> " + workDir() + "/" + m.getFileName());
        }
        lines.add("write " + workDir() + ".sh mode 0700:");
        script.bash().lines().forEach(l -> lines.add("| " + l));
        lines.add("$ " + runCommand());
        lines.add("write " + mark());
        return lines;
    }

    @Override
    public ActionResult apply(HostContext h) {
        String fp = fingerprint();
        CommandResult done = h.sudo("cat " + mark());
        if (done.ok() && done.stdout().strip().equals(fp)) {
            return ActionResult.unchanged("already ran (same script and materials)");
        }
        for (Path m : script.materials()) {
            h.upload(m, workDir() + "/" + m.getFileName(), 0644);
        }
        Actions.ensure(h, workDir() + ".sh", script.bash(), 0700);
        CommandResult run = h.sudo(runCommand());
        h.output(run.stdout() + (run.stderr().isBlank() ? "" : run.stderr()));
        run.orThrow(h.hostName(), name());
        Actions.ensure(h, mark(), fp + "\n", 0644);
        return ActionResult.changed("ran");
    }
}
