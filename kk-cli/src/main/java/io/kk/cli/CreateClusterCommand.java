package io.kk.cli;

import io.kk.cluster.create.Phase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Create a cluster: binaries, OS, registry, images, runtime, etcd, certificate renew, then"
                + " Kubernetes. Without -f: an all-in-one cluster on this machine. --dry-run prints every"
                + " host's steps and contacts nothing.")
final class CreateClusterCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DownloadOptions download;

    @Mixin
    CreateRunner create;

    CreateClusterCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        return create.run(console, hosts, download, Phase.all(), "create cluster");
    }
}
