package io.kk.api;

import io.kk.cluster.ClusterHosts;
import io.kk.cluster.install.FileInstall;
import io.kk.cluster.registry.HarborFiles;
import io.kk.cluster.registry.RegistryCertificates;
import io.kk.cluster.registry.RegistryFiles;
import io.kk.cluster.registry.RegistryPlan;
import io.kk.cluster.registry.RegistryRequest;
import io.kk.config.ClusterConfig;
import io.kk.config.Host;
import io.kk.config.RegistryAuth;
import io.kk.event.EventSink;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kk init registry}: the private registry on the {@code registry} host with kk's TLS
 * certificate (CA kept in the work dir {@code pki/registry/}), and kk's CA on every node.
 */
public final class InitRegistry {
    private InitRegistry() {}

    /**
     * @param artifactDir the imported artifact (or the work dir, where downloads land)
     * @param workDir kk's work dir: the registry CA is kept under {@code pki/registry/}
     */
    public record Request(ClusterConfig config, Path artifactDir, Path workDir, HostRunOptions options) {}

    /** The registry modules, for composing into larger pipelines (create cluster). */
    public static List<Module> modules(Request r) {
        RegistryRequest rr = registryRequest(r, false);
        return List.of(RegistryPlan.module(rr), RegistryPlan.trustModule(rr));
    }

    /** The registry modules without touching the work dir (certificates as placeholders), for dry runs. */
    static List<Module> modulesForPreview(Request r) {
        RegistryRequest rr = registryRequest(r, true);
        return List.of(RegistryPlan.module(rr), RegistryPlan.trustModule(rr));
    }

    public static Pipeline pipeline(Request r) {
        return RegistryPlan.pipeline(registryRequest(r, false));
    }

    /** The plan without touching the work dir (certificates shown as placeholders). */
    public static PlanPreview preview(Request r) {
        return HostRuns.preview(RegistryPlan.pipeline(registryRequest(r, true)), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        Inventory inv = ClusterHosts.inventory(r.config());
        return HostRuns.run(r.config(), pipeline(r), inv, r.options(), events);
    }

    static RegistryRequest registryRequest(Request r, boolean dryRun) {
        ClusterConfig c = r.config();
        Host host = DeliverySettings.requireRegistryHost(c);
        String name = DeliverySettings.registryName(c);
        int port = DeliverySettings.registryPort(c);
        RegistryAuth auth = DeliverySettings.privateAuth(c);
        boolean htpasswd =
                auth != null && auth.username() != null && !auth.username().isEmpty();
        RegistryFiles.Settings settings =
                new RegistryFiles.Settings(c.registry().registryDataDir(), port, name, htpasswd);
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (isIp(name)) {
            ips.add(name);
        } else {
            dns.add(name);
        }
        if (!dns.contains(host.name())) {
            dns.add(host.name());
        }
        for (String a : List.of(host.internalIPv4(), host.address())) {
            if (!a.isEmpty() && isIp(a) && !ips.contains(a)) {
                ips.add(a);
            }
        }
        RegistryCertificates.Material certs = dryRun
                ? new RegistryCertificates.Material(
                        r.workDir().resolve(RegistryCertificates.DIR).resolve("ca.pem"),
                        "<kk's registry CA from " + RegistryCertificates.DIR + "/ca.pem>\n",
                        "<server certificate for " + String.join(", ", dns) + " " + String.join(", ", ips) + ">\n",
                        "<its private key>\n")
                : RegistryCertificates.ensure(r.workDir(), name, dns, ips, Clock.systemUTC());
        boolean harbor = "harbor".equalsIgnoreCase(c.registry().type());
        FileInstall.Plan binary = harbor
                ? null
                : FileInstall.fromTarball(
                        FileInstall.find(
                                r.artifactDir(),
                                "registry/registry",
                                null,
                                host.arch(),
                                f -> f.startsWith("registry-") && f.endsWith(".tar.gz")),
                        e -> e.equals("registry") || e.endsWith("/registry"),
                        "/usr/local/bin");
        String harborYml = harbor
                ? HarborFiles.config(
                        name,
                        auth == null ? null : auth.password(),
                        c.registry().registryDataDir())
                : null;
        return new RegistryRequest(
                ClusterHosts.inventory(c),
                host.name(),
                name,
                host.internalIPv4(),
                settings,
                certs,
                htpasswd ? new RegistryRequest.Credentials(auth.username(), auth.password()) : null,
                binary,
                c.kubernetes().containerManager(),
                harborYml);
    }

    static boolean isIp(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }
}
