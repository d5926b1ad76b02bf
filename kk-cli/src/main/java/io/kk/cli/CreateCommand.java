package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk create` group; its verbs are registered in {@link CommandTree}. */
@Command(name = "create", description = "Create a config, a manifest, a cluster, or run one phase of it.")
final class CreateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
