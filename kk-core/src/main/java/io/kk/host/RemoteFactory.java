package io.kk.host;

/**
 * Opens {@link Remote}s and owns them: one connection per host, opened on first use and kept for
 * the whole run; {@link #close()} ends them all.
 */
public interface RemoteFactory extends AutoCloseable {

    /** The Remote for this host; the same one for the same host name until closed. */
    Remote remote(HostAccess host);

    @Override
    void close();
}
