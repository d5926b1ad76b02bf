package io.kk.host;

import java.nio.file.Path;

/**
 * A machine kk works on. Small on purpose: run a command, move a file each way, close. The SSH
 * implementation lives in {@code io.kk.host.ssh}; tests also run steps against in-process fakes.
 *
 * <p>Implementations are safe for use by one step at a time; the plan engine gives each host its
 * own Remote and never shares one across threads.
 */
public interface Remote extends AutoCloseable {

    /** The host name from the config, used in every message about this host. */
    String hostName();

    /**
     * Runs a command and waits for it. A non-zero exit code is a normal result, not an exception.
     *
     * @throws RemoteConnectionException when the connection fails or drops (the plan engine may retry)
     * @throws io.kk.error.KkException of kind FAILED when the command outlives its timeout; the
     *     remote process is ended before this returns
     */
    CommandResult run(RemoteCommand command);

    /**
     * Copies a local file to the host: skipped when a file with the same sha256 is already there,
     * otherwise written under a temporary name and renamed into place. Parent directories are made.
     */
    UploadResult upload(Path local, String remotePath, int mode);

    /**
     * Writes {@code content} to the host as {@link #upload} writes a file (skipped when the same,
     * else a temp name renamed into place). The SSH remote streams it from memory: content kk
     * renders (configs that may hold registry auths) never lands in a local temp file that a
     * killed kk would leave behind. This default, for in-process fakes, goes through a temp file.
     */
    default UploadResult write(byte[] content, String remotePath, int mode) {
        Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile("kk-", ".upload");
            java.nio.file.Files.write(tmp, content);
            return upload(tmp, remotePath, mode);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (java.io.IOException ignored) {
                    // a fake's temp file
                }
            }
        }
    }

    /** Copies a file from the host to a local path (written to a temp name, then renamed). */
    void download(String remotePath, Path local);

    @Override
    void close();
}
