package io.kk.cli;

import io.kk.api.CertsRenew;
import io.kk.cluster.certs.RenewThreshold;
import io.kk.cluster.certs.WorkDirRenewal;
import io.kk.error.KkException;
import io.kk.plan.PlanPreview;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "renew",
        mixinStandardHelpOptions = true,
        description = "Renew every certificate as KubeKey does (only those with fewer than --threshold-days days"
                + " left when given): kubeadm certs renew all on control planes that have kubeadm (then their control-plane pods"
                + " and kubelet restarted), kk's etcd and registry certificates re-issued from kk's CAs in the"
                + " work dir, then only the services whose certificates changed restarted (etcd one member at"
                + " a time, kube-apiserver for a new etcd client certificate).")
final class CertsRenewCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    HostOptions hosts;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir, where kk's CAs are (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--threshold-days",
            paramLabel = "DAYS",
            description = "Renew only certificates with fewer days left than this (e.g. "
                    + RenewThreshold.DEFAULT_DAYS + ", KubeKey's auto-renew rule); without it every"
                    + " certificate is renewed, as KubeKey's certs renew does.")
    Integer thresholdDays;

    /**
     * kk's own flag (KubeKey's certs renew has only -f and always renews everything): it states the
     * default, so it contradicts --threshold-days rather than silently overriding it.
     */
    @Option(
            names = "--force",
            description = "Renew every certificate whatever its end date. That is already what certs renew"
                    + " does without --threshold-days (as KubeKey's certs renew, which has neither flag);"
                    + " --force only says so explicitly and cannot be combined with --threshold-days.")
    boolean force;

    CertsRenewCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        if (force && thresholdDays != null) {
            throw KkException.invalidInput(
                    "--force renews every certificate; --threshold-days " + thresholdDays
                            + " renews only those with fewer days left: give one of them",
                    "drop --force to renew only the certificates due, or --threshold-days to renew all");
        }
        CertsRenew.Request request = new CertsRenew.Request(
                config.load(console),
                workDir,
                hosts.toOptions(),
                null,
                thresholdDays == null ? RenewThreshold.DEFAULT_DAYS : thresholdDays,
                thresholdDays == null);
        if (hosts.dryRun) {
            PlanPreview preview = CertsRenew.preview(request);
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        CertsRenew.Result r = CertsRenew.run(request, console);
        print("etcd", r.etcd());
        print("registry", r.registry());
        console.result(new Result(r.report().ok(), rows("etcd", r.etcd()), rows("registry", r.registry()), r.report()));
        r.report().orThrow();
        console.line("certs renew: done");
        return 0;
    }

    /** The JSON result: each re-issued certificate, then the hosts' report. */
    record Result(boolean ok, List<Row> etcd, List<Row> registry, io.kk.plan.PlanReport report) {}

    record Row(String file, String oldSerial, String newSerial, String notAfter) {}

    private static List<Row> rows(String what, List<WorkDirRenewal.Renewed> renewed) {
        return renewed.stream()
                .map(c -> new Row(
                        c.file(), c.oldSerial(), c.newSerial(), c.notAfter().toString()))
                .toList();
    }

    private void print(String what, List<WorkDirRenewal.Renewed> renewed) {
        for (WorkDirRenewal.Renewed c : renewed) {
            console.line(what + " " + c.file() + ": serial " + c.oldSerial() + " -> " + c.newSerial() + ", valid until "
                    + c.notAfter());
        }
    }
}
