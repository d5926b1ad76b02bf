package io.kk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The `kk init` group; its verbs are registered in {@link CommandTree}. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Prepare hosts: the OS, the private registry, its images, the container runtime.")
final class InitCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
