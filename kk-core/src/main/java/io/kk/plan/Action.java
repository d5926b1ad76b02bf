package io.kk.plan;

import java.util.List;

/**
 * One idempotent step on one host: it checks the host's state first and acts only when needed.
 * Failures are thrown as {@link io.kk.error.KkException} (a non-zero command through {@link
 * io.kk.host.CommandResult#orThrow}); a dropped connection as {@link
 * io.kk.host.RemoteConnectionException}, after which the engine reconnects and applies the action
 * again (which is safe because it checks first).
 *
 * <p>An action object may be applied to several hosts at once, so it must hold no per-host mutable
 * state; per-host data goes through {@link HostValues}.
 */
public interface Action {

    /** Short name shown in progress lines, e.g. {@code sysctl}. */
    String name();

    /**
     * What the action would do on the host, for {@code --dry-run}: one line per command or file,
     * in order, without touching the host. Commands are prefixed {@code $ }.
     */
    List<String> describe(Target target);

    ActionResult apply(HostContext host);
}
