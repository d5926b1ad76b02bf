package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk create` group; its verbs are the subcommands. */
@Command(
        name = "create",
        description = "Create a config, a manifest, a cluster, or run one phase of it.",
        subcommands = {
            CreateConfigCommand.class,
            CreateManifestCommand.class,
            CreateClusterCommand.class,
            CreatePhaseCommand.class
        })
final class CreateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
