package io.kk.plan;

import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.host.CommandResult;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.UploadResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What an action works with on one host: the host, its Remote (opened on first use), and a way to
 * say things. Confined to one thread at a time; never shared across hosts.
 */
public final class HostContext {
    private final Target target;
    private final Supplier<Remote> remote;
    private final EventSink events;
    private final Clock clock;
    private final String task;
    private final String action;

    HostContext(Target target, Supplier<Remote> remote, EventSink events, Clock clock, String task, String action) {
        this.target = target;
        this.remote = remote;
        this.events = events;
        this.clock = clock;
        this.task = task;
        this.action = action;
    }

    /** A context for unit tests of single actions, with the given Remote. */
    public static HostContext forTest(Target target, Remote remote, EventSink events, Clock clock) {
        return new HostContext(target, () -> remote, events, clock, "test", "test");
    }

    public Target target() {
        return target;
    }

    public String hostName() {
        return target.name();
    }

    /** The control machine's clock (for time-drift checks). */
    public Clock clock() {
        return clock;
    }

    /** Runs a command; a non-zero exit is returned, not thrown. */
    public CommandResult run(RemoteCommand command) {
        return remote.get().run(command);
    }

    /** Runs a root command; a non-zero exit is returned, not thrown. */
    public CommandResult sudo(String script) {
        return run(RemoteCommand.sudo(script));
    }

    /** Runs a root command and throws a FAILED KkException naming host and action when it fails. */
    public CommandResult sudoOk(String script) {
        return run(RemoteCommand.sudo(script)).orThrow(target.name(), task + " / " + action);
    }

    public UploadResult upload(Path local, String remotePath, int mode) {
        return remote.get().upload(local, remotePath, mode);
    }

    /** Writes {@code content} to the host (see {@link Remote#write}): no local temp file. */
    public UploadResult write(byte[] content, String remotePath, int mode) {
        return remote.get().write(content, remotePath, mode);
    }

    public void warn(String text) {
        events.emit(Note.warn("[" + target.name() + "] " + action + ": " + text));
    }

    /** Passes a command's output (e.g. a custom script's) on to the user. */
    public void output(String text) {
        if (!text.isBlank()) {
            events.emit(new PlanEvent.ActionOutput(target.name(), task, action, text));
        }
    }
}
