package io.kk.plan;

import io.kk.error.KkException;
import io.kk.host.CommandResult;
import io.kk.util.PausePoints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ready-made idempotent actions for the common shapes: a file with given content and mode, a
 * marked block inside a file, a systemd unit enabled and running, a command guarded by a check.
 */
public final class Actions {
    private Actions() {}

    /** An action from a description and a body, for steps with no common shape. */
    public static Action of(
            String name, Function<Target, List<String>> describe, Function<HostContext, ActionResult> body) {
        return new Action() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> describe(Target target) {
                return describe.apply(target);
            }

            @Override
            public ActionResult apply(HostContext host) {
                return body.apply(host);
            }
        };
    }

    /** A command run only when {@code check} fails (exit non-zero); unchanged when it succeeds. */
    public static Action guarded(String name, String check, String command) {
        return guarded(name, t -> check, t -> command);
    }

    public static Action guarded(String name, Function<Target, String> check, Function<Target, String> command) {
        return of(
                name,
                t -> List.of("$ " + check.apply(t) + "    # check; act only when it fails", "$ " + command.apply(t)),
                h -> {
                    if (h.sudo(check.apply(h.target())).ok()) {
                        return ActionResult.unchanged();
                    }
                    h.sudoOk(command.apply(h.target()));
                    return ActionResult.changed();
                });
    }

    /**
     * A file with exactly this content and mode. The remote sha256 and mode are read first; the
     * file is uploaded only when the content differs, chmod-ed only when the mode does. When the
     * file changed, {@code onChange} (may be null) runs after it, e.g. {@code sysctl --system}.
     */
    public static Action file(String name, String path, Function<Target, String> content, int mode, String onChange) {
        return new FileAction(name, t -> path, content, mode, onChange);
    }

    public static Action file(String name, String path, String content, int mode) {
        return file(name, path, t -> content, mode, null);
    }

    /** The script that reports a file's sha256 and octal mode, one per line (nothing if absent). */
    public static String probeScript(String path) {
        String p = Shell.quote(path);
        return "if [ -f " + p + " ]; then sha256sum " + p + " | cut -d' ' -f1; stat -c %a " + p + "; fi";
    }

    public static String sha256(String content) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class FileAction implements Action {
        private final String name;
        private final Function<Target, String> path;
        private final Function<Target, String> content;
        private final int mode;
        private final String onChange;

        FileAction(
                String name,
                Function<Target, String> path,
                Function<Target, String> content,
                int mode,
                String onChange) {
            this.name = name;
            this.path = path;
            this.content = content;
            this.mode = mode;
            this.onChange = onChange;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<String> describe(Target target) {
            List<String> lines = new ArrayList<>();
            lines.add("$ " + probeScript(path.apply(target)) + "    # compare");
            if ((mode & 0077) == 0) {
                // owner-only files are where secrets go (registry passwords in containerd's
                // config.toml, harbor.yml, keys): a dry run does not print them, nor build them
                // (their content may depend on facts only a real run gathers)
                lines.add("write " + path.apply(target) + " mode " + String.format("%04o", mode)
                        + " when different (contents not shown: an owner-only file may hold secrets)");
            } else {
                String c = content.apply(target);
                lines.add("write " + path.apply(target) + " mode " + String.format("%04o", mode) + " sha256 "
                        + sha256(c).substring(0, 12) + " (" + c.lines().count() + " lines) when different:");
                c.lines().forEach(l -> lines.add("| " + l));
            }
            if (onChange != null) {
                lines.add("$ " + onChange + "    # when written");
            }
            return lines;
        }

        @Override
        public ActionResult apply(HostContext h) {
            String p = path.apply(h.target());
            String c = content.apply(h.target());
            if (onChange == null) {
                return ActionResult.of(ensure(h, p, c, mode), p);
            }
            // a kill between the write and onChange must not leave it undone for good: the rerun
            // finds the file as wanted, but the follow-up still marked due
            String followUp = "file" + p;
            boolean changed = ensure(h, p, c, mode, followUp);
            if (changed) {
                h.sudoOk(onChange);
                followUpDone(h, followUp);
            }
            return ActionResult.of(changed, p);
        }
    }

    /** Makes the remote file hold {@code content} with {@code mode}; true when anything changed. */
    public static boolean ensure(HostContext h, String path, String content, int mode) {
        return ensure(h, path, content, mode, null);
    }

    /**
     * Where a host records follow-ups that are due (a restart, a reload) after kk changed what they
     * depend on. Under /var/lib/kubekey: {@code kk delete cluster} removes it with the rest.
     */
    public static final String FOLLOW_UPS = "/var/lib/kubekey/kk-due";

    /** The marker file of a follow-up (any text as key; made a plain file name). */
    public static String followUpMarker(String key) {
        return FOLLOW_UPS + "/" + key.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The script printing {@code kk-due} when the follow-up's marker is there. */
    static String dueProbe(String key) {
        return "if [ -e " + Shell.quote(followUpMarker(key)) + " ]; then echo kk-due; fi";
    }

    /** Records on the host that {@code key}'s follow-up is due: call BEFORE making the change. */
    public static void followUpDue(HostContext h, String key) {
        h.sudoOk("mkdir -p " + FOLLOW_UPS + " && touch " + Shell.quote(followUpMarker(key)));
    }

    /** Whether {@code key}'s follow-up is due (an earlier run changed things and was killed). */
    public static boolean isFollowUpDue(HostContext h, String key) {
        return h.sudoOk(dueProbe(key)).stdout().contains("kk-due");
    }

    /** Clears {@code key}'s follow-up: call AFTER it ran. */
    public static void followUpDone(HostContext h, String key) {
        h.sudoOk("rm -f " + Shell.quote(followUpMarker(key)));
    }

    /**
     * {@link #ensure(HostContext, String, String, int)} for a file whose change needs a follow-up
     * ({@code followUp}, may be null): the follow-up is marked due on the host before the file is
     * written, and true is returned also when the file is as wanted but the follow-up is still due
     * (a kill came between write and follow-up). The caller runs it, then {@link #followUpDone}.
     */
    public static boolean ensure(HostContext h, String path, String content, int mode, String followUp) {
        CommandResult probe =
                h.sudoOk(followUp == null ? probeScript(path) : probeScript(path) + "; " + dueProbe(followUp));
        List<String> all = probe.stdout().strip().lines().toList();
        boolean due = all.contains("kk-due");
        List<String> out = all.stream().filter(l -> !l.equals("kk-due")).toList();
        Optional<String> sha =
                out.isEmpty() ? Optional.empty() : Optional.of(out.get(0).strip());
        Optional<String> actualMode =
                out.size() < 2 ? Optional.empty() : Optional.of(out.get(1).strip());
        String wantMode = Integer.toOctalString(mode);
        if (sha.isPresent() && sha.get().equals(sha256(content))) {
            if (actualMode.isPresent() && Integer.parseInt(actualMode.get(), 8) == mode) {
                return due;
            }
            h.sudoOk("chmod " + wantMode + " " + Shell.quote(path));
            return true;
        }
        if (followUp != null && !due) {
            followUpDue(h, followUp);
        }
        // from memory: no local temp file (it may hold a registry password) for a kill to leave
        h.write(content.getBytes(StandardCharsets.UTF_8), path, mode);
        PausePoints.reached("remote:written:" + path); // written, its follow-up not yet run
        return true;
    }

    /**
     * A block between two marker lines inside a file (e.g. KubeKey's {@code # kubekey hosts BEGIN}
     * / {@code END} in /etc/hosts): replaced when it differs, appended when missing, the rest of the
     * file kept as it is.
     */
    public static Action block(
            String name, String path, String begin, String end, Function<Target, String> body, int mode) {
        return of(
                name,
                t -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("$ cat " + Shell.quote(path) + "    # read, then replace the block when different");
                    lines.add("write " + path + " mode " + String.format("%04o", mode) + " with block:");
                    lines.add("| " + begin);
                    body.apply(t).lines().forEach(l -> lines.add("| " + l));
                    lines.add("| " + end);
                    return lines;
                },
                h -> {
                    CommandResult cat = h.sudo("cat " + Shell.quote(path));
                    String current = cat.ok() ? cat.stdout() : "";
                    String wanted = replaceBlock(current, begin, end, body.apply(h.target()));
                    if (wanted.equals(current)) {
                        return ActionResult.unchanged(path);
                    }
                    ensure(h, path, wanted, mode);
                    return ActionResult.changed(path);
                });
    }

    /** The text with the marked block set to {@code body} (appended when there is none). */
    public static String replaceBlock(String text, String begin, String end, String body) {
        String block = begin + "\n" + (body.isEmpty() || body.endsWith("\n") ? body : body + "\n") + end + "\n";
        List<String> lines = text.lines().toList();
        int from = lines.indexOf(begin);
        int to = from < 0 ? -1 : lines.subList(from, lines.size()).indexOf(end);
        StringBuilder sb = new StringBuilder();
        if (from < 0 || to < 0) {
            sb.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                sb.append('\n');
            }
            return sb.append(block).toString();
        }
        for (String l : lines.subList(0, from)) {
            sb.append(l).append('\n');
        }
        sb.append(block);
        for (String l : lines.subList(from + to + 1, lines.size())) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /**
     * A whole line present in a file (appended when missing, the file made when absent), e.g. an
     * entry in /etc/modules or a setting in a config kk does not own.
     */
    public static Action line(String name, String path, String line) {
        String p = Shell.quote(path);
        String l = Shell.quote(line);
        return guarded(name, "grep -qxF -- " + l + " " + p, "echo " + l + " >> " + p);
    }

    /** A systemd unit enabled and active ({@code systemctl enable --now} when it is not). */
    public static Action service(String name, String unit) {
        String u = Shell.quote(unit);
        return guarded(
                name, "systemctl is-enabled " + u + " && systemctl is-active " + u, "systemctl enable --now " + u);
    }

    /** Fails the host with an environment error (a precheck that does not pass). */
    public static KkException precheckFailed(Target t, String what, String hint) {
        return KkException.environment(t.name() + ": " + what, hint);
    }
}
