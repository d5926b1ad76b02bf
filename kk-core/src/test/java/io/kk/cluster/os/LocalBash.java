package io.kk.cluster.os;

import io.kk.host.CommandResult;
import io.kk.host.Remote;
import io.kk.host.RemoteCommand;
import io.kk.host.UploadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Remote that runs commands with the local bash, for read-only commands in tests (the precheck
 * probes). Uploads are refused: nothing here may change the test machine.
 */
final class LocalBash implements Remote {

    static CommandResult bash(String... args) {
        try {
            Process p = new ProcessBuilder(args)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", args));
            }
            return new CommandResult(
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8),
                    Duration.ZERO);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String hostName() {
        return "local";
    }

    @Override
    public CommandResult run(RemoteCommand command) {
        return bash("/bin/bash", "-c", command.script());
    }

    @Override
    public UploadResult upload(Path local, String remotePath, int mode) {
        throw new UnsupportedOperationException("LocalBash is read-only");
    }

    @Override
    public void download(String remotePath, Path local) {
        throw new UnsupportedOperationException("LocalBash is read-only");
    }

    @Override
    public void close() {}
}
