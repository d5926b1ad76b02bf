package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.certs.CertsRenewal;
import io.kk.cluster.certs.RenewThreshold;
import io.kk.cluster.certs.WorkDirRenewal;
import io.kk.cluster.registry.RegistryCertificates;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code kk certs renew}: the certificates due by a {@link RenewThreshold} (fewer than 30 days left,
 * or all with force) renewed: kubeadm's on the control planes that have kubeadm; kk's etcd and
 * registry leaf certificates re-issued from kk's CAs in the work dir (the CAs kept, the same
 * names), pushed, and only the services whose files changed restarted (etcd one member at a time
 * with a health wait, kube-apiserver for a new etcd client certificate, the registry).
 */
public final class CertsRenew {
    private CertsRenew() {}

    /**
     * @param thresholdDays renew certificates with fewer days left than this ({@link
     *     RenewThreshold#DEFAULT_DAYS}, KubeKey's auto-renew rule)
     * @param force renew every certificate, as KubeKey's {@code kk certs renew} does
     */
    public record Request(
            ClusterConfig config, Path workDir, HostRunOptions options, Clock clock, int thresholdDays, boolean force) {
        public Request {
            clock = clock == null ? Clock.systemUTC() : clock;
            if (thresholdDays < 0) {
                throw KkException.invalidInput(
                        "--threshold-days " + thresholdDays + " is negative", "give a number of days, 0 or more");
            }
        }

        public Request(ClusterConfig config, Path workDir, HostRunOptions options, Clock clock) {
            this(config, workDir, options, clock, RenewThreshold.DEFAULT_DAYS, false);
        }

        RenewThreshold threshold() {
            return new RenewThreshold(thresholdDays, force, clock.instant());
        }
    }

    /** What was re-issued in the work dir, and how the hosts fared. */
    public record Result(List<WorkDirRenewal.Renewed> etcd, List<WorkDirRenewal.Renewed> registry, PlanReport report) {}

    static Path etcdDir(Request r) {
        return r.workDir().resolve("pki/etcd");
    }

    static Path registryDir(Request r) {
        return r.workDir().resolve(RegistryCertificates.DIR);
    }

    /** What a run would do: no file re-issued, no host contacted. */
    public static PlanPreview preview(Request r) {
        return PlanPreview.of(pipeline(r), ClusterHosts.inventory(r.config()));
    }

    public static Result run(Request r, EventSink events) {
        ClusterConfig c = r.config();
        boolean kkEtcd = c.etcd().type() == EtcdConfig.Type.KUBEKEY;
        boolean kkRegistry = DeliverySettings.ownRegistryHost(c).isPresent()
                && !"harbor".equalsIgnoreCase(c.registry().type());
        RenewThreshold threshold = r.threshold();
        List<WorkDirRenewal.Renewed> etcd = kkEtcd ? WorkDirRenewal.renew(etcdDir(r), r.clock(), threshold) : List.of();
        List<WorkDirRenewal.Renewed> registry =
                kkRegistry ? WorkDirRenewal.renew(registryDir(r), r.clock(), threshold) : List.of();
        if (kkEtcd && WorkDirRenewal.leaves(etcdDir(r)).isEmpty()) {
            events.emit(Note.warn("no etcd certificates in " + etcdDir(r) + ": kk's etcd certificates not renewed"));
        } else if (kkEtcd && etcd.isEmpty()) {
            events.emit(Note.info("none of kk's etcd certificates in " + etcdDir(r) + " is due (renewing "
                    + threshold.describe() + "): not renewed; without --threshold-days every certificate is renewed"));
        }
        if (kkRegistry && WorkDirRenewal.leaves(registryDir(r)).isEmpty()) {
            events.emit(Note.warn(
                    "no registry certificate in " + registryDir(r) + ": the registry's certificate not renewed"));
        } else if (kkRegistry && registry.isEmpty()) {
            events.emit(Note.info("the registry's certificate in " + registryDir(r) + " is not due (renewing "
                    + threshold.describe() + "): not renewed; without --threshold-days it is renewed"));
        }
        Inventory inv = ClusterHosts.inventory(c);
        PlanReport report = HostRuns.run(c, pipeline(r), inv, r.options(), events);
        return new Result(etcd, registry, report);
    }

    static Pipeline pipeline(Request r) {
        ClusterConfig c = r.config();
        boolean kkEtcd = c.etcd().type() == EtcdConfig.Type.KUBEKEY;
        String registryHost = DeliverySettings.ownRegistryHost(c)
                .filter(h -> !"harbor".equalsIgnoreCase(c.registry().type()))
                .map(h -> h.name())
                .orElse("");
        CertsRenewal renewal = new CertsRenewal(
                kkEtcd ? files(etcdDir(r)) : Map.of(),
                registryHost.isEmpty()
                        ? Map.of()
                        : files(registryDir(r), f -> !f.equals("ca.pem") && !f.equals("ca-key.pem")),
                registryHost,
                registryHost.isEmpty() ? 443 : DeliverySettings.registryPort(c),
                c.etcd().port() > 0 ? c.etcd().port() : 2379,
                !c.kubernetes().isAtLeast(1, 20),
                r.threshold());
        return new Pipeline("certs renew", renewal.modules());
    }

    private static Map<String, String> files(Path dir) {
        return files(dir, f -> true);
    }

    /** The {@code *.pem} files of a work-dir CA directory by name; none when it does not exist. */
    private static Map<String, String> files(Path dir, java.util.function.Predicate<String> keep) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".pem") && keep.test(name)) {
                    out.put(name, Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw KkException.environment("cannot read " + dir + ": " + e.getMessage(), "check the work dir");
        }
        return out;
    }
}
