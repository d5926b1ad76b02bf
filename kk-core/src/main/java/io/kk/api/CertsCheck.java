package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.certs.CertificateInfo;
import io.kk.cluster.certs.CertsCheckPlan;
import io.kk.config.ClusterConfig;
import io.kk.event.EventSink;
import io.kk.plan.HostValues;
import io.kk.plan.Inventory;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk certs check-expiration}: every certificate kk and kubeadm keep on every host (etcd's
 * under /etc/ssl/etcd/ssl, kubeadm's pki and kubeconfigs, kubelet's client certificate in
 * /var/lib/kubelet/pki, the registry's), read over SSH and
 * parsed on the control machine. Files a host does not have are simply not listed.
 */
public final class CertsCheck {
    private CertsCheck() {}

    public record Request(ClusterConfig config, HostRunOptions options, Clock clock) {
        public Request {
            clock = clock == null ? Clock.systemUTC() : clock;
        }
    }

    /**
     * @param certificates every certificate found, in host order
     * @param now the time the days left are counted from
     */
    public record Result(List<CertificateInfo> certificates, Instant now, PlanReport report) {}

    public static Pipeline pipeline(HostValues<List<CertificateInfo>> found) {
        return Pipeline.of("certs check-expiration", CertsCheckPlan.module(found));
    }

    public static Result run(Request r, EventSink events) {
        HostValues<List<CertificateInfo>> found = new HostValues<>("certificates");
        Inventory inv = ClusterHosts.inventory(r.config());
        PlanReport report = HostRuns.run(r.config(), pipeline(found), inv, r.options(), events);
        List<CertificateInfo> all = new ArrayList<>();
        inv.hosts().forEach(t -> found.find(t).ifPresent(all::addAll));
        return new Result(all, r.clock().instant(), report);
    }
}
