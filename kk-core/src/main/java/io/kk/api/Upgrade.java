package io.kk.api;

import io.kk.artifact.ArtifactPaths;
import io.kk.catalog.Catalog;
import io.kk.cluster.ClusterHosts;
import io.kk.cluster.images.ClusterImages;
import io.kk.cluster.images.ImageNeeds;
import io.kk.cluster.kubernetes.ContainerRuntime;
import io.kk.cluster.kubernetes.KubeVersion;
import io.kk.cluster.node.PlanOrder;
import io.kk.cluster.upgrade.UpgradePlan;
import io.kk.cluster.upgrade.UpgradeRequest;
import io.kk.cluster.upgrade.VersionSkew;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.config.RegistryAuth;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.image.ImageReference;
import io.kk.image.registry.RegistryClient;
import io.kk.plan.HostSelector;
import io.kk.plan.Inventory;
import io.kk.plan.PlanReport;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kk upgrade --with-kubernetes V}: checks on the control machine first (the version skew
 * against the config's version, the target's kubeadm/kubelet/kubectl in the artifact, the target's
 * images in the private registry), then runs {@link UpgradePlan} (which checks the cluster's real
 * state before it changes anything).
 */
public final class Upgrade {
    private Upgrade() {}

    /**
     * @param artifactDir the imported artifact (or work dir) holding {@code kube/V/<arch>/}
     * @param workDir kk's work dir (kk's registry CA under {@code pki/registry})
     * @param target {@code --with-kubernetes}
     * @param checkImages HEAD every target image in the private registry before the run
     */
    public record Request(
            ClusterConfig config,
            Path artifactDir,
            Path workDir,
            String target,
            Duration drainTimeout,
            boolean checkImages,
            HostRunOptions options) {}

    /** The images of the target version kubeadm and kubelet will pull, as pushed to the private registry. */
    public static List<ImageReference> images(ClusterConfig c, KubeVersion target) {
        ImageNeeds needs = new ImageNeeds(
                target.text(),
                c.kubernetes().containerManager(),
                "none",
                false,
                false,
                "",
                c.etcd().type().name().toLowerCase(java.util.Locale.ROOT),
                !c.kubernetes().disableKubeProxy(),
                1);
        Set<String> kube = Set.of(
                "pause",
                "kube-apiserver",
                "kube-controller-manager",
                "kube-scheduler",
                "kube-proxy",
                "coredns",
                "etcd");
        List<ImageReference> out = new ArrayList<>();
        for (ClusterImages.NeededImage i : ClusterImages.of(needs)) {
            if (kube.contains(i.name())) {
                out.add(DeliverySettings.target(c).destinationFor(ImageReference.parse(i.reference())));
            }
        }
        return out;
    }

    public static PlanOrder preview(Request r) {
        UpgradeRequest u = request(r, false);
        return PlanOrder.of(UpgradePlan.pipeline(u), ClusterHosts.inventory(r.config()));
    }

    public static PlanReport run(Request r, EventSink events) {
        UpgradeRequest u = request(r, true);
        if (r.checkImages()) {
            checkImages(r, u.target(), events);
        }
        PlanReport report = HostRuns.run(
                r.config(), UpgradePlan.pipeline(u), ClusterHosts.inventory(r.config()), r.options(), events);
        if (!report.ok()) {
            String where = report.failedHosts().isEmpty()
                    ? ""
                    : " (it stopped at " + report.failedHosts().get(0).host() + ")";
            try {
                report.orThrow();
            } catch (KkException e) {
                throw new KkException(
                        e.kind(),
                        e.getMessage(),
                        (e.hint().isBlank() ? "" : e.hint() + "; ") + "then resume with the same command" + where
                                + ": kk upgrade --with-kubernetes " + u.target()
                                + " -f <config>; nodes whose kubelet already reports " + u.target()
                                + " are skipped (read from the cluster)");
            }
        }
        return report;
    }

    static UpgradeRequest request(Request r, boolean requireBinaries) {
        ClusterConfig c = r.config();
        KubeVersion target;
        try {
            target = KubeVersion.parse(r.target());
        } catch (IllegalArgumentException e) {
            throw KkException.invalidInput(e.getMessage(), "give --with-kubernetes like v1.28.2");
        }
        List<String> known = Catalog.builtin().supportedKubernetesVersions();
        // the config's version is the user's word for what runs; the cluster's nodes are checked at run time
        VersionSkew.check(
                "the cluster (spec.kubernetes.version)",
                KubeVersion.parse(c.kubernetes().version()),
                target,
                known);
        Inventory inv = ClusterHosts.inventory(c);
        Map<String, UpgradeRequest.Binaries> binaries = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String arch : inv.select(HostSelector.k8s()).stream()
                .map(Target::arch)
                .distinct()
                .toList()) {
            Path dir = r.artifactDir();
            UpgradeRequest.Binaries b = new UpgradeRequest.Binaries(
                    dir.resolve(ArtifactPaths.binary("kube", target.text(), arch, "kubeadm")),
                    dir.resolve(ArtifactPaths.binary("kube", target.text(), arch, "kubelet")),
                    dir.resolve(ArtifactPaths.binary("kube", target.text(), arch, "kubectl")));
            for (Path p : List.of(b.kubeadm(), b.kubelet(), b.kubectl())) {
                if (!Files.isRegularFile(p)) {
                    missing.add(p.toString());
                }
            }
            binaries.put(arch, b);
        }
        if (requireBinaries && !missing.isEmpty()) {
            throw KkException.invalidInput(
                    "the artifact lacks Kubernetes " + target + " binaries: " + missing,
                    "export an artifact for " + target + " (kk artifact export with a manifest naming it) and give"
                            + " it with -a");
        }
        return new UpgradeRequest(
                inv,
                target,
                binaries,
                c.etcd().type() == EtcdConfig.Type.KUBEADM,
                known,
                r.drainTimeout(),
                Duration.ofMinutes(5),
                ContainerRuntime.fromConfig(c.kubernetes().containerManager()).criSocket(target),
                dnsAgain(c, target));
    }

    /**
     * After {@code kubeadm upgrade apply}: kk's CoreDNS (and nodelocaldns) rendered for the target
     * version, their stamps forgotten first so they are applied again over what kubeadm put back.
     */
    static List<io.kk.plan.Action> dnsAgain(ClusterConfig c, KubeVersion target) {
        List<io.kk.cluster.network.KubeStep> steps = io.kk.cluster.dns.DnsManifests.steps(
                io.kk.cluster.dns.DnsSettings.of(c.withKubernetesVersion(target.text()), DeliverySettings.target(c)));
        String forget = "rm -f "
                + String.join(
                        " ",
                        steps.stream()
                                .map(io.kk.cluster.network.KubeStep::stampPath)
                                .toList());
        List<io.kk.plan.Action> out = new ArrayList<>();
        out.add(io.kk.plan.Actions.of(
                "forget dns stamps",
                t -> List.of("$ " + forget + "    # kubeadm replaced CoreDNS: apply kk's again"),
                h -> {
                    h.sudoOk(forget);
                    return io.kk.plan.ActionResult.unchanged();
                }));
        steps.forEach(st -> out.add(st.action()));
        return out;
    }

    /** HEADs each target image in the private registry; refuses the run when any is missing. */
    static void checkImages(Request r, KubeVersion target, EventSink events) {
        ClusterConfig c = r.config();
        List<ImageReference> images = images(c, target);
        String connect = PushImages.connectHost(c).orElse(DeliverySettings.registryHostPort(c));
        RegistryAuth auth = DeliverySettings.privateAuth(c);
        Path ca = c.registryHost().isPresent()
                ? r.workDir()
                        .resolve(io.kk.cluster.registry.RegistryCertificates.DIR)
                        .resolve("ca.pem")
                : null;
        if (auth != null && auth.caFile() != null && !auth.caFile().isEmpty()) {
            ca = Path.of(auth.caFile());
        }
        RegistryClient client = new RegistryClient(
                connect,
                new io.kk.image.registry.RegistryAuth(
                        auth == null ? null : auth.username(),
                        auth == null ? null : auth.password(),
                        auth != null && auth.skipTLSVerify(),
                        auth != null && auth.plainHTTP(),
                        ca));
        List<String> absent = new ArrayList<>();
        for (ImageReference i : images) {
            if (client.headManifest(i.repository(), i.tag()).isEmpty()) {
                absent.add(i.toString());
            }
        }
        if (!absent.isEmpty()) {
            throw KkException.environment(
                    "the private registry lacks images of " + target + ": " + absent,
                    "push them first (kk artifact images push, or kk init images with an artifact for " + target + ")");
        }
        events.emit(Note.info(
                "the private registry (" + connect + ") holds the " + images.size() + " images of " + target));
    }
}
