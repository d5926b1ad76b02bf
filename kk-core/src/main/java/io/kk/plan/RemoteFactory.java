package io.kk.plan;

import io.kk.host.Remote;

/**
 * Opens a connection to a host. The SSH implementation is wired in by the caller; the engine opens
 * at most one Remote per host at a time, on first use, and closes it at the end of the run (or
 * after a dropped connection, before opening a new one).
 */
@FunctionalInterface
public interface RemoteFactory {
    /**
     * @throws io.kk.host.RemoteConnectionException when the host cannot be reached (retried)
     */
    Remote open(Target target);
}
