package io.kk.cli;

import io.kk.api.HostRunOptions;
import io.kk.plan.RunOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command that works on the config's hosts over SSH. */
final class HostOptions {
    @Option(names = "--dry-run", description = "Validate and print the ordered plan per host; contact no host.")
    boolean dryRun;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "10",
            description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--ignore-err",
            description = "Drop a failing host and go on with the others (the run still ends as failed).")
    boolean ignoreErrors;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "The known_hosts file kk keeps (default: $KK_HOME/known_hosts or ~/.kk/known_hosts).")
    Path knownHosts;

    @Option(
            names = "--insecure-skip-host-key-check",
            description = "Accept any SSH host key and record none (only for disposable hosts).")
    boolean insecureSkipHostKeyCheck;

    HostRunOptions toOptions() {
        if (parallel < 1) {
            throw io.kk.error.KkException.invalidInput(
                    "--parallel must be at least 1, got " + parallel, "give the number of hosts to work on at once");
        }
        return new HostRunOptions(
                knownHosts != null ? knownHosts : HostRunOptions.defaultKnownHosts(),
                insecureSkipHostKeyCheck,
                Path.of(System.getProperty("user.home")),
                RunOptions.defaults().withParallel(parallel).withIgnoreErrors(ignoreErrors),
                dryRun);
    }
}
