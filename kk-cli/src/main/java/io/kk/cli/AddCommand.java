package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk add` group; its verbs are registered in {@link CommandTree}. */
@Command(name = "add", description = "Add nodes to a cluster.")
final class AddCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
