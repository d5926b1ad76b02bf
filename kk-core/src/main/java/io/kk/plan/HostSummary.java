package io.kk.plan;

import io.kk.error.ErrorKind;
import java.util.Optional;

/**
 * How one host fared in a run.
 *
 * @param failure where and why the host failed; empty when it did not
 */
public record HostSummary(String host, int changed, int unchanged, int skipped, Optional<Failure> failure) {

    /**
     * @param task {@code module / task}
     */
    public record Failure(String task, String action, String message, String hint, ErrorKind kind) {}

    public boolean failed() {
        return failure.isPresent();
    }
}
