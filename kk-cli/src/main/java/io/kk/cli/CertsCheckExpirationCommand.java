package io.kk.cli;

import io.kk.api.CertsCheck;
import io.kk.cluster.certs.ExpirationTable;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "check-expiration",
        mixinStandardHelpOptions = true,
        description = "List every certificate kk and kubeadm keep on every host (etcd, kubeadm's pki and"
                + " kubeconfigs, the registry's) with its subject, expiry, time left and CA.")
final class CertsCheckExpirationCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    ConfigOption config;

    CertsCheckExpirationCommand(Console console) {
        this.console = console;
    }

    /** The JSON result. */
    record Result(boolean ok, List<ExpirationTable.Row> certificates) {}

    @Override
    public Integer call() {
        CertsCheck.Result r =
                CertsCheck.run(new CertsCheck.Request(config.load(console), hosts.toOptions(), null), console);
        console.line(ExpirationTable.render(r.certificates(), r.now()));
        console.result(new Result(r.report().ok(), ExpirationTable.rows(r.certificates(), r.now())));
        r.report().orThrow();
        return 0;
    }
}
