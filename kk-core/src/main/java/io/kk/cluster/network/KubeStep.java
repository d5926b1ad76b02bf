package io.kk.cluster.network;

import io.kk.error.KkException;
import io.kk.plan.Action;
import io.kk.plan.ActionResult;
import io.kk.plan.Actions;
import io.kk.plan.HostContext;
import io.kk.plan.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One thing applied to the cluster from the first control plane: files placed on it (generated
 * text, or local files such as a chart .tgz), then one command ({@code kubectl apply}, {@code helm
 * upgrade --install}) retried as KubeKey retries it.
 *
 * <p>Idempotence: after the command succeeded, a stamp holding the sha256 of the command and of
 * every file is written under {@link #STAMP_DIR}. A later run whose files on the host and stamp
 * match does nothing; any difference (a file changed, the command changed, an earlier run that
 * failed before the stamp) places the files again and runs the command, which is itself idempotent.
 *
 * @param name the stamp's name, unique per cluster (e.g. {@code network-plugin}, {@code addon-nfs})
 * @param files remote path -> generated content
 * @param uploads remote path -> local file
 * @param attempts how often the command is tried (at least 1)
 * @param delaySeconds pause between attempts
 */
public record KubeStep(
        String name,
        Map<String, String> files,
        Map<String, Path> uploads,
        String command,
        int attempts,
        int delaySeconds) {

    /** Where kk keeps what it applied (root only: the stamps name what the cluster holds). */
    public static final String STAMP_DIR = "/etc/kubernetes/kk-applied";

    public static final String KUBECONFIG = "/etc/kubernetes/admin.conf";
    public static final String KUBECTL = "/usr/local/bin/kubectl --kubeconfig " + KUBECONFIG;
    public static final String HELM = "/usr/local/bin/helm --kubeconfig " + KUBECONFIG;

    public KubeStep {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        uploads = Collections.unmodifiableMap(new LinkedHashMap<>(uploads));
        attempts = Math.max(1, attempts);
        delaySeconds = Math.max(0, delaySeconds);
    }

    public String stampPath() {
        return STAMP_DIR + "/" + name + ".sha256";
    }

    /** The command wrapped in its retry loop, exactly as it runs on the host. */
    public String script() {
        if (attempts == 1) {
            return command;
        }
        return "n=0; until " + command + "; do n=$((n+1)); if [ $n -ge " + attempts + " ]; then exit 1; fi; sleep "
                + delaySeconds + "; done";
    }

    /** remote path -> sha256 of what goes there, in placing order. */
    public Map<String, String> digests() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((p, c) -> out.put(p, Actions.sha256(c)));
        uploads.forEach((p, f) -> out.put(p, sha256(f)));
        return out;
    }

    /** What the stamp holds after a successful run. */
    public String stamp() {
        StringBuilder b = new StringBuilder(command).append('\n');
        digests().forEach((p, s) -> b.append(s).append("  ").append(p).append('\n'));
        return Actions.sha256(b.toString());
    }

    /** The script whose success means: every file in place and this exact step already applied. */
    public String checkScript() {
        // the stamp holds a sha256 as text: compared as a line, not as a checksum of a file
        String stamped = "grep -qx " + Shell.quote(stamp()) + " " + Shell.quote(stampPath());
        if (digests().isEmpty()) {
            return stamped;
        }
        StringBuilder b = new StringBuilder(stamped).append(" && printf '%s\\n'");
        digests().forEach((p, s) -> b.append(' ').append(Shell.quote(s + "  " + p)));
        return b.append(" | sha256sum -c --quiet --status -").toString();
    }

    public Action action() {
        return Actions.of(
                name,
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("$ " + checkScript() + "    # applied already? then nothing to do");
                    digests()
                            .forEach((p, s) -> lines.add("write " + p + " mode 0600 sha256 " + s.substring(0, 12)
                                    + (uploads.containsKey(p)
                                            ? " from " + uploads.get(p)
                                            : " (" + files.get(p).lines().count() + " lines)")));
                    lines.add("$ " + script());
                    lines.add("$ " + stampScript() + "    # remember what was applied");
                    return lines;
                },
                this::apply);
    }

    private String stampScript() {
        return "mkdir -p " + STAMP_DIR + " && chmod 0700 " + STAMP_DIR + " && echo " + stamp() + " > "
                + Shell.quote(stampPath());
    }

    private ActionResult apply(HostContext h) {
        if (h.sudo(checkScript()).ok()) {
            return ActionResult.unchanged(name);
        }
        Set<String> dirs = new LinkedHashSet<>();
        digests().keySet().forEach(p -> dirs.add(p.substring(0, p.lastIndexOf('/'))));
        if (!dirs.isEmpty()) {
            h.sudoOk("mkdir -p " + Shell.quoteAll(dirs));
        }
        files.forEach((p, c) -> Actions.ensure(h, p, c, 0600));
        Map<String, String> sums = digests();
        uploads.forEach((p, f) -> {
            String one = "printf '%s\\n' " + Shell.quote(sums.get(p) + "  " + p) + " | sha256sum -c --quiet --status -";
            if (!h.sudo(one).ok()) {
                h.upload(f, p, 0600);
            }
        });
        h.sudoOk(script());
        h.sudoOk(stampScript());
        return ActionResult.changed(name);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw KkException.invalidInput(
                    "cannot read " + file + ": " + io.kk.error.Causes.describe(e), "check that the file exists");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
