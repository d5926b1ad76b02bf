package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk artifact` group; its verbs are registered in {@link CommandTree}. */
@Command(name = "artifact", description = "Export, import, inspect and verify offline artifacts; push their images.")
final class ArtifactCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
