package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk artifact` group; its verbs are the subcommands. */
@Command(
        name = "artifact",
        description = "Export, import, inspect and verify offline artifacts; push their images.",
        subcommands = {
            ArtifactExportCommand.class,
            ArtifactInspectCommand.class,
            ArtifactVerifyCommand.class,
            ArtifactImportCommand.class,
            ArtifactImagesCommand.class
        })
final class ArtifactCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
