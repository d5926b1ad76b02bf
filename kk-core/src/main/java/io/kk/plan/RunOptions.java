package io.kk.plan;

import java.time.Duration;

/**
 * How a pipeline runs.
 *
 * @param parallel how many hosts work at once (KubeKey: 10)
 * @param connectionRetries how many times an action is retried after a dropped connection (KubeKey:
 *     3); ordinary failures are never retried
 * @param backoff the wait before the first retry; doubled before each further one
 * @param ignoreErrors like KubeKey's {@code --ignore-err}: a failed host is dropped and the others
 *     go on to the next tasks; the run still ends as failed
 */
public record RunOptions(int parallel, int connectionRetries, Duration backoff, boolean ignoreErrors) {
    public static final int DEFAULT_PARALLEL = 10;

    public RunOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        if (connectionRetries < 0) {
            throw new IllegalArgumentException("connectionRetries must not be negative");
        }
    }

    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_PARALLEL, 3, Duration.ofSeconds(2), false);
    }

    public RunOptions withParallel(int n) {
        return new RunOptions(n, connectionRetries, backoff, ignoreErrors);
    }

    public RunOptions withRetries(int n, Duration firstBackoff) {
        return new RunOptions(parallel, n, firstBackoff, ignoreErrors);
    }

    public RunOptions withIgnoreErrors(boolean ignore) {
        return new RunOptions(parallel, connectionRetries, backoff, ignore);
    }
}
