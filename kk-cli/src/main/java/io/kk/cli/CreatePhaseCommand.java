package io.kk.cli;

import io.kk.cluster.create.Phase;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "phase",
        mixinStandardHelpOptions = true,
        description = "Run one phase of create cluster: binary, os, registry, images, runtime, etcd, certs-renew,"
                + " init, join, configure, addons, kubesphere.")
final class CreatePhaseCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    DownloadOptions download;

    @Mixin
    CreateRunner create;

    @Parameters(index = "0", paramLabel = "PHASE", description = "The phase to run.")
    String phase;

    CreatePhaseCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Phase p = Phase.parse(phase);
        return create.run(console, hosts, download, List.of(p), "create phase " + p.label());
    }
}
