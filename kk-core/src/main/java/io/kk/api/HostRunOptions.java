package io.kk.api;

import io.kk.plan.RunOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a command that works on hosts connects and runs.
 *
 * @param knownHosts the known_hosts file kk keeps (first contact recorded, a changed key refused)
 * @param insecureSkipHostKeyCheck accept any host key (the user's explicit opt-out)
 * @param home where {@code ~/} in {@code privateKeyPath} points
 * @param run parallelism and retries
 * @param dryRun print the plan only: no host is contacted
 */
public record HostRunOptions(
        Path knownHosts, boolean insecureSkipHostKeyCheck, Path home, RunOptions run, boolean dryRun) {
    public HostRunOptions {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(run, "run");
    }

    /** kk's own known_hosts: {@code $KK_HOME/known_hosts}, by default {@code ~/.kk/known_hosts}. */
    public static Path defaultKnownHosts() {
        String kkHome = System.getenv("KK_HOME");
        Path base =
                kkHome != null && !kkHome.isBlank() ? Path.of(kkHome) : Path.of(System.getProperty("user.home"), ".kk");
        return base.resolve("known_hosts");
    }
}
