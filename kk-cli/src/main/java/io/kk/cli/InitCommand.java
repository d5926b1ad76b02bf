package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk init` group; its verbs are the subcommands. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Prepare hosts: the OS, the private registry, its images, the container runtime.",
        subcommands = {InitOsCommand.class, InitRegistryCommand.class, InitImagesCommand.class, InitRuntimeCommand.class
        })
final class InitCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
