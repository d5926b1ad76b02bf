package io.kk.plan;

import io.kk.host.CommandResult;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.RemoteConnectionException;
import io.kk.host.UploadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory machine for unit tests: a file map, scripted answers to commands (first matching
 * rule wins, later rules added first win), every command recorded, and injected connection drops.
 * It understands the few commands the helper actions use (the file probe, cat, chmod) and uploads.
 * Commands nobody scripted succeed with no output, and are recorded.
 */
public final class FakeHost {
    private static final Pattern PROBE = Pattern.compile("^if \\[ -f (.+?) \\]; then sha256sum .*");
    private static final Pattern CAT = Pattern.compile("^cat (\\S+)$");
    private static final Pattern CHMOD = Pattern.compile("^chmod ([0-7]+) (\\S+)$");
    private static final Pattern DUE = Pattern.compile("if \\[ -e (\\S+) \\]; then echo kk-due; fi$");
    private static final Pattern MARK_DUE = Pattern.compile("^mkdir -p " + Actions.FOLLOW_UPS + " && touch (\\S+)$");
    private static final Pattern RM = Pattern.compile("^rm -f (\\S+)$");

    public final String name;
    public final Map<String, String> files = new ConcurrentHashMap<>();
    public final Map<String, Integer> modes = new ConcurrentHashMap<>();
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());
    private final List<Pattern> drops = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger opens = new AtomicInteger();
    public final AtomicInteger uploads = new AtomicInteger();

    private record Rule(Pattern pattern, Function<Matcher, CommandResult> answer) {}

    public FakeHost(String name) {
        this.name = name;
    }

    /** Answers commands matching {@code regex} (whole script, DOTALL) with {@code answer}. */
    public FakeHost on(String regex, Function<Matcher, CommandResult> answer) {
        rules.add(0, new Rule(Pattern.compile(regex, Pattern.DOTALL), answer));
        return this;
    }

    public FakeHost answer(String regex, String stdout) {
        return on(regex, m -> ok(stdout));
    }

    public FakeHost exit(String regex, int code) {
        return on(regex, m -> result(code, "", "scripted failure"));
    }

    /** The next command matching {@code regex} drops the connection (once per call of this). */
    public FakeHost dropNext(String regex) {
        drops.add(Pattern.compile(regex, Pattern.DOTALL));
        return this;
    }

    public List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    public void clearCommands() {
        commands.clear();
    }

    public static CommandResult ok(String stdout) {
        return result(0, stdout, "");
    }

    public static CommandResult result(int code, String stdout, String stderr) {
        return new CommandResult(code, stdout, stderr, Duration.ZERO);
    }

    public static String unquote(String word) {
        if (word.startsWith("'") && word.endsWith("'")) {
            return word.substring(1, word.length() - 1).replace("'\\''", "'");
        }
        return word;
    }

    CommandResult run(String script) {
        synchronized (drops) {
            for (Pattern p : drops) {
                if (p.matcher(script).matches()) {
                    drops.remove(p);
                    commands.add("(dropped) " + script);
                    throw new RemoteConnectionException(name + ": connection reset", "", null);
                }
            }
        }
        commands.add(script);
        List<Rule> snapshot;
        synchronized (rules) {
            snapshot = List.copyOf(rules);
        }
        for (Rule r : snapshot) {
            Matcher m = r.pattern.matcher(script);
            if (m.matches()) {
                return r.answer.apply(m);
            }
        }
        // follow-up markers (Actions.followUpDue) are files like any other
        Matcher due = DUE.matcher(script);
        String dueLine = due.find() && files.containsKey(unquote(due.group(1))) ? "kk-due\n" : "";
        Matcher m = PROBE.matcher(script);
        if (m.matches()) {
            String path = unquote(m.group(1));
            String content = files.get(path);
            return ok((content == null
                            ? ""
                            : Actions.sha256(content) + "\n" + Integer.toOctalString(modes.getOrDefault(path, 0644))
                                    + "\n")
                    + dueLine);
        }
        if (script.startsWith("if [ -e ") && DUE.matcher(script).matches()) {
            return ok(dueLine);
        }
        m = MARK_DUE.matcher(script);
        if (m.matches()) {
            files.put(unquote(m.group(1)), "");
            return ok("");
        }
        m = RM.matcher(script);
        if (m.matches()) {
            files.remove(unquote(m.group(1)));
            return ok("");
        }
        m = CAT.matcher(script);
        if (m.matches()) {
            String content = files.get(unquote(m.group(1)));
            return content == null ? result(1, "", "cat: no such file") : ok(content);
        }
        m = CHMOD.matcher(script);
        if (m.matches()) {
            modes.put(unquote(m.group(2)), Integer.parseInt(m.group(1), 8));
            return ok("");
        }
        return ok("");
    }

    /** A Remote on this host; it dies when a drop is injected and must then be reopened. */
    public Remote open() {
        opens.incrementAndGet();
        return new FakeRemote();
    }

    /** A factory over fake hosts by name. */
    public static RemoteFactory factory(Map<String, FakeHost> hosts) {
        return t -> {
            FakeHost h = hosts.get(t.name());
            if (h == null) {
                throw new RemoteConnectionException(t.name() + ": no route to host", "", null);
            }
            return h.open();
        };
    }

    /**
     * {@link #factory} whose remotes also append every command and upload of every host to ONE
     * {@code log}, as {@code host: script} and {@code host: (upload) path}, in the order they ran,
     * so tests can assert the order across hosts.
     */
    public static RemoteFactory recording(Map<String, FakeHost> hosts, List<String> log) {
        return recording(hosts, log, (t, command) -> {});
    }

    /** {@link #recording(Map, List)}, calling {@code beforeRun} with each command before it runs. */
    public static RemoteFactory recording(
            Map<String, FakeHost> hosts, List<String> log, BiConsumer<Target, RemoteCommand> beforeRun) {
        RemoteFactory fake = factory(hosts);
        return t -> new Recording(fake.open(t), t, log, beforeRun);
    }

    private record Recording(Remote inner, Target target, List<String> log, BiConsumer<Target, RemoteCommand> beforeRun)
            implements Remote {
        @Override
        public String hostName() {
            return inner.hostName();
        }

        @Override
        public CommandResult run(RemoteCommand command) {
            log.add(target.name() + ": " + command.script());
            beforeRun.accept(target, command);
            return inner.run(command);
        }

        @Override
        public UploadResult upload(Path local, String remotePath, int mode) {
            log.add(target.name() + ": (upload) " + remotePath);
            return inner.upload(local, remotePath, mode);
        }

        @Override
        public void download(String remotePath, Path local) {
            inner.download(remotePath, local);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private final class FakeRemote implements Remote {
        private volatile boolean dead;

        @Override
        public String hostName() {
            return name;
        }

        @Override
        public CommandResult run(RemoteCommand command) {
            alive();
            try {
                return FakeHost.this.run(command.script());
            } catch (RemoteConnectionException e) {
                dead = true;
                throw e;
            }
        }

        @Override
        public UploadResult upload(Path local, String remotePath, int mode) {
            alive();
            try {
                String content = new String(Files.readAllBytes(local), StandardCharsets.UTF_8);
                commands.add("(upload) " + remotePath);
                uploads.incrementAndGet();
                modes.put(remotePath, mode);
                String old = files.put(remotePath, content);
                return content.equals(old) ? UploadResult.UNCHANGED : UploadResult.UPLOADED;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void download(String remotePath, Path local) {
            alive();
            try {
                Files.writeString(local, files.getOrDefault(remotePath, ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void alive() {
            if (dead) {
                throw new RemoteConnectionException(name + ": connection is closed", "", null);
            }
        }

        @Override
        public void close() {
            dead = true;
        }
    }
}
