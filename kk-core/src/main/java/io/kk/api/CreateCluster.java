package io.kk.api;

import io.kk.artifact.ArtifactPaths;
import io.kk.catalog.Catalog;
import io.kk.catalog.ChecksumResolver;
import io.kk.catalog.ComponentFetcher;
import io.kk.catalog.ComponentFile;
import io.kk.catalog.FetchedComponent;
import io.kk.cluster.ClusterHosts;
import io.kk.cluster.certs.CertsRenewPlan;
import io.kk.cluster.create.Phase;
import io.kk.cluster.create.PhaseStatus;
import io.kk.cluster.create.PhaseStatus.State;
import io.kk.cluster.etcd.EtcdFiles;
import io.kk.cluster.etcd.EtcdPki;
import io.kk.cluster.etcd.EtcdPlan;
import io.kk.cluster.etcd.EtcdRequest;
import io.kk.cluster.install.FileInstall;
import io.kk.cluster.kubernetes.KubernetesPlan;
import io.kk.cluster.kubernetes.KubernetesRequest;
import io.kk.config.ClusterConfig;
import io.kk.config.EtcdConfig;
import io.kk.download.DownloadSource;
import io.kk.download.HttpDownloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.plan.Inventory;
import io.kk.plan.Module;
import io.kk.plan.Pipeline;
import io.kk.plan.PlanPreview;
import io.kk.plan.PlanReport;
import io.kk.plan.Role;
import io.kk.plan.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kk create cluster} and {@code kk create phase <name>}: the phases in order, each composed
 * from its feature package; a phase's modules are added in its case of {@link #plan}'s switch. The
 * binaries ({@link ClusterBinaries}) come from the artifact ({@code -a}) or, without one, are
 * downloaded into the work dir first (catalog + checksums), as KubeKey does online. The Kubernetes
 * phases need kubeadm: without it in the work dir the run stops after etcd and the certificate
 * renew timer, and says so. With it, init and join run ({@code io.kk.cluster.kubernetes.KubernetesPlan}).
 */
public final class CreateCluster {
    private CreateCluster() {}

    /**
     * @param configDir directory of the config file (script materials and external etcd files are
     *     relative to it)
     * @param artifact {@code -a}: an artifact file or its imported directory; null to download
     * @param workDir kk's work dir ({@code ./kubekey}): imported artifact, downloads, {@code pki/}
     * @param phases the phases to run, in order (all of them for create cluster)
     * @param name what the run is called in output: "create cluster", "create phase etcd"
     */
    public record Request(
            ClusterConfig config,
            Path configDir,
            Path artifact,
            Path workDir,
            DownloadSource download,
            List<Phase> phases,
            String name,
            HostRunOptions options) {
        public Request {
            phases = List.copyOf(phases);
            download = download == null ? DownloadSource.UPSTREAM : download;
        }
    }

    /**
     * A binary a phase needs on the control machine.
     *
     * @param path where it is or will be
     * @param from "artifact", "work dir" or the URL it is downloaded from
     */
    public record Binary(String component, String version, String arch, Path path, boolean present, String from) {
        public String render() {
            return component + " " + version + " " + arch + ": " + path + (present ? " (" + from + ")" : " <- " + from);
        }
    }

    /** What the run will do, without touching anything. */
    public record Plan(
            String name,
            Pipeline pipeline,
            Inventory inventory,
            List<PhaseStatus> phases,
            List<Binary> binaries,
            Optional<String> stop,
            int imagesAt,
            PushImages.Request images) {}

    /** The dry-run view: the phases, the control machine's files, every host's steps. */
    public record Preview(
            String name, List<PhaseStatus> phases, List<Binary> binaries, PlanPreview hosts, String stop) {
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(name).append(": phases in order\n");
            phases.forEach(p -> sb.append(p.render()).append('\n'));
            if (!binaries.isEmpty()) {
                sb.append("\ncontrol machine: binaries\n");
                binaries.forEach(b -> sb.append("  ").append(b.render()).append('\n'));
            }
            sb.append('\n').append(hosts.render());
            if (!stop.isEmpty()) {
                sb.append("\nthen: ").append(stop).append('\n');
            }
            return sb.toString();
        }
    }

    /** What a run did; {@code stop} says why it ended before Kubernetes (empty when it did not). */
    public record Result(
            String name, List<PhaseStatus> phases, List<Binary> binaries, PlanReport report, String stop) {}

    public static Preview preview(Request r) {
        Plan p = plan(r, plannedBinDir(r), true);
        return new Preview(
                p.name(),
                p.phases(),
                p.binaries(),
                PlanPreview.of(p.pipeline(), p.inventory()),
                p.stop().orElse(""));
    }

    /** The plan; the caller shows it for confirmation before {@link #run}. */
    public static Plan plan(Request r) {
        return plan(r, plannedBinDir(r), true);
    }

    public static Result run(Request r, EventSink events) {
        Path dir = r.artifact() == null ? r.workDir() : Artifacts.prepare(r.artifact(), r.workDir(), events);
        if (r.artifact() == null) {
            // downloads first: the phases are planned from the files in the work dir
            for (Binary b : neededBinaries(r, dir)) {
                if (!b.present()) {
                    fetch(b, r.download(), r.workDir(), events);
                }
            }
        }
        Plan p = plan(r, dir, false);
        List<Binary> binaries = p.binaries();
        for (Binary b : binaries) {
            if (b.component().equals("etcd") && !Files.isRegularFile(b.path())) {
                throw KkException.invalidInput(
                        b.component() + " " + b.version() + " for " + b.arch() + " is not in " + dir,
                        "give an artifact that holds it (kk artifact export), or run without -a to download it");
            }
        }
        PlanReport report;
        if (p.images() == null) {
            report = HostRuns.run(r.config(), p.pipeline(), p.inventory(), r.options(), events);
        } else {
            // the push runs on the control machine between the registry and the runtime phases
            List<Module> all = p.pipeline().modules();
            PlanReport before = HostRuns.run(
                    r.config(),
                    new Pipeline(p.name(), all.subList(0, p.imagesAt())),
                    p.inventory(),
                    r.options(),
                    events);
            if (!before.ok()) {
                return new Result(
                        p.name(), p.phases(), binaries, before, p.stop().orElse(""));
            }
            PushImages.run(p.images(), events);
            PlanReport after = HostRuns.run(
                    r.config(),
                    new Pipeline(p.name(), all.subList(p.imagesAt(), all.size())),
                    p.inventory(),
                    r.options(),
                    events);
            report = combine(before, after);
        }
        return new Result(p.name(), p.phases(), binaries, report, p.stop().orElse(""));
    }

    /** Where the binaries are or will be, without importing anything. */
    private static Path plannedBinDir(Request r) {
        return r.artifact() == null ? r.workDir() : Artifacts.plannedDir(r.artifact(), r.workDir());
    }

    static Plan plan(Request r, Path binDir, boolean dryRun) {
        ClusterConfig c = r.config();
        Inventory inv = ClusterHosts.inventory(c);
        List<Module> modules = new ArrayList<>();
        List<PhaseStatus> statuses = new ArrayList<>();
        List<Binary> binaries = new ArrayList<>();
        Optional<String> stop = Optional.empty();
        boolean fromArtifact = r.artifact() != null;
        int imagesAt = -1;
        PushImages.Request images = null;
        boolean kubeBinariesPlanned = false;
        for (Phase phase : r.phases()) {
            if (stop.isPresent()) {
                statuses.add(new PhaseStatus(phase, State.MISSING_KUBEADM, "not reached"));
                continue;
            }
            switch (phase) {
                case BINARY -> {
                    List<Binary> needed = ClusterBinaries.all(c, binDir, fromArtifact, r.download());
                    needed.forEach(b -> addOnce(binaries, b));
                    statuses.add(new PhaseStatus(
                            phase,
                            needed.isEmpty() ? State.NOTHING_TO_DO : State.RUNS,
                            needed.isEmpty()
                                    ? "no binary needed by the phases in this build"
                                    : fromArtifact ? "from the artifact in " + binDir : "download what is missing"));
                }
                case OS -> {
                    InitOs.Request os = new InitOs.Request(c, r.configDir(), fromArtifact ? binDir : null, r.options());
                    modules.addAll(InitOs.pipeline(os).modules());
                    statuses.add(new PhaseStatus(phase, State.RUNS, phase.description()));
                }
                case REGISTRY -> {
                    if (c.registryHost().isEmpty()) {
                        statuses.add(new PhaseStatus(phase, State.NOTHING_TO_DO, "no host has the registry role"));
                        continue;
                    }
                    try {
                        InitRegistry.Request reg = new InitRegistry.Request(c, binDir, r.workDir(), r.options());
                        modules.addAll(dryRun ? InitRegistry.modulesForPreview(reg) : InitRegistry.modules(reg));
                        statuses.add(new PhaseStatus(phase, State.RUNS, phase.description()));
                    } catch (KkException e) {
                        statuses.add(cannot(phase, e, dryRun, fromArtifact));
                    }
                }
                case IMAGES -> {
                    boolean hasImages = Files.isRegularFile(binDir.resolve(ArtifactPaths.IMAGES_INDEX));
                    boolean hasRegistry = c.registryHost().isPresent()
                            || !c.registry().privateRegistry().isEmpty();
                    if (!hasImages || !hasRegistry) {
                        statuses.add(new PhaseStatus(
                                phase,
                                State.NOTHING_TO_DO,
                                !hasImages ? "no images in " + binDir : "no private registry in the config"));
                        continue;
                    }
                    images = new PushImages.Request(c, binDir, r.workDir());
                    imagesAt = modules.size();
                    PushImages.Plan push = PushImages.plan(images);
                    statuses.add(new PhaseStatus(
                            phase,
                            State.RUNS,
                            "from the control machine: " + push.layout() + " -> " + push.registry()
                                    + (push.connectTo().equals(push.registry())
                                            ? ""
                                            : " (via " + push.connectTo() + ")")));
                }
                case RUNTIME -> {
                    try {
                        modules.add(InitRuntime.module(new InitRuntime.Request(c, binDir, r.options())));
                        statuses.add(new PhaseStatus(
                                phase, State.RUNS, c.kubernetes().containerManager() + " on the Kubernetes nodes"));
                    } catch (KkException e) {
                        statuses.add(cannot(phase, e, dryRun, fromArtifact));
                    }
                }
                case ETCD -> {
                    EtcdConfig.Type type = c.etcd().type();
                    if (type == EtcdConfig.Type.KUBEADM) {
                        statuses.add(new PhaseStatus(
                                phase, State.NOTHING_TO_DO, "type kubeadm: kubeadm runs etcd as static pods"));
                        continue;
                    }
                    List<Binary> needed = ClusterBinaries.etcd(c, inv, binDir, fromArtifact, r.download());
                    needed.forEach(b -> addOnce(binaries, b));
                    modules.addAll(EtcdPlan.modules(etcdRequest(r, inv, needed)));
                    statuses.add(new PhaseStatus(
                            phase,
                            State.RUNS,
                            type == EtcdConfig.Type.KUBEKEY
                                    ? "etcd " + needed.get(0).version() + " on "
                                            + ClusterHosts.names(new Inventory(inv.select(t -> t.has(Role.ETCD))))
                                    : "type external: its certificates placed on the control planes"));
                }
                case CERTS_RENEW -> {
                    boolean on = c.kubernetes().autoRenewCerts();
                    modules.add(CertsRenewPlan.module(on, !c.kubernetes().isAtLeast(1, 20)));
                    statuses.add(new PhaseStatus(
                            phase,
                            State.RUNS,
                            on ? "timer on the control planes" : "autoRenewCerts: false: the timer removed"));
                }
                case INIT, JOIN -> {
                    Optional<String> missing = missingKubeadm(c, inv, binDir);
                    if (missing.isPresent() && dryRun && !fromArtifact) {
                        // a real run downloads kubeadm first (run), then plans these steps
                        statuses.add(new PhaseStatus(
                                phase,
                                State.AFTER_DOWNLOAD,
                                "kubeadm " + c.kubernetes().version()
                                        + " is downloaded by the binary phase; its host steps are planned then"));
                        continue;
                    }
                    if (missing.isPresent()) {
                        stop = missing;
                        statuses.add(new PhaseStatus(phase, State.MISSING_KUBEADM, "kubeadm is not in " + binDir));
                        continue;
                    }
                    try {
                        KubernetesRequest k = kubernetesRequest(r, binDir, fromArtifact);
                        if (!kubeBinariesPlanned) {
                            // init and join each need them (create phase join alone adds nodes)
                            modules.add(KubernetesPlan.binaries(k));
                            kubeBinariesPlanned = true;
                        }
                        if (phase == Phase.INIT) {
                            modules.add(KubernetesPlan.init(k));
                            statuses.add(new PhaseStatus(
                                    phase,
                                    State.RUNS,
                                    "kubeadm " + k.settings().version() + " ("
                                            + k.settings().kubeadmApi().apiVersion() + ") on " + k.initNode()
                                            + "; kubeconfig to " + k.kubeconfig()));
                        } else {
                            modules.addAll(KubernetesPlan.join(k));
                            statuses.add(new PhaseStatus(
                                    phase,
                                    State.RUNS,
                                    "the other control planes one by one, then the workers; nodes that have joined"
                                            + " are left alone"));
                        }
                    } catch (KkException e) {
                        statuses.add(cannot(phase, e, dryRun, fromArtifact));
                    }
                }
                case CONFIGURE, ADDONS, KUBESPHERE -> {
                    // kubectl and helm run on the first control plane against the cluster init made;
                    // in create cluster a missing kubeadm has stopped the run before this point
                    try {
                        Optional<Module> m = clusterModule(phase, r, binDir);
                        m.ifPresent(modules::add);
                        statuses.add(new PhaseStatus(
                                phase,
                                m.isPresent() ? State.RUNS : State.NOTHING_TO_DO,
                                m.map(x -> x.name() + " from " + firstControlPlane(r.config()))
                                        .orElse(nothingToDo(phase))));
                    } catch (KkException e) {
                        statuses.add(cannot(phase, e, dryRun, fromArtifact));
                    }
                }
            }
        }
        return new Plan(r.name(), new Pipeline(r.name(), modules), inv, statuses, binaries, stop, imagesAt, images);
    }

    /**
     * The configure (network plugin), addons and kubesphere modules, run from the first control
     * plane; empty when the config asks for nothing in that phase.
     */
    static Optional<Module> clusterModule(Phase phase, Request r, Path binDir) {
        ClusterConfig c = r.config();
        String first = firstControlPlane(c);
        io.kk.image.RegistryTarget target = DeliverySettings.target(c);
        Module m =
                switch (phase) {
                    case CONFIGURE -> io.kk.cluster.network.NetworkPlan.module(
                            io.kk.cluster.network.NetworkSettings.of(c, target), first, binDir);
                    case ADDONS -> io.kk.cluster.addons.AddonsPlan.addons(c, first, r.configDir(), binDir);
                    case KUBESPHERE -> c.kubesphere().enabled()
                            ? io.kk.cluster.addons.AddonsPlan.kubesphere(
                                    io.kk.cluster.addons.AddonsPlan.kubesphereSettings(c, target), first)
                            : null;
                    default -> throw new IllegalArgumentException(phase.label());
                };
        if (phase == Phase.CONFIGURE) {
            // after the CNI: CoreDNS, nodelocaldns, host labels, local storage
            m = io.kk.cluster.configure.ClusterSettingsPlan.afterNetwork(m, c, target, first);
        }
        return m == null || m.tasks().isEmpty() ? Optional.empty() : Optional.of(m);
    }

    /**
     * {@code --with-kubesphere [version]}: KubeSphere on, keeping the config's own
     * ClusterConfiguration document when it has one; "" for the default version.
     */
    public static ClusterConfig withKubeSphere(ClusterConfig c, String version) {
        String v = version == null || version.isBlank()
                ? c.kubesphere().enabled() && !c.kubesphere().version().isBlank()
                        ? c.kubesphere().version()
                        : io.kk.cluster.addons.KubeSphereFiles.DEFAULT_VERSION
                : version;
        return c.withKubeSphere(
                new io.kk.config.KubeSphereConfig(true, v, c.kubesphere().configurations()));
    }

    private static String firstControlPlane(ClusterConfig c) {
        return c.firstControlPlane()
                .map(io.kk.config.Host::name)
                .orElseThrow(() -> KkException.invalidInput(
                        "no control-plane host", "add a host to spec.roleGroups.control-plane"));
    }

    private static String nothingToDo(Phase phase) {
        return switch (phase) {
            case CONFIGURE -> "network.plugin none: no CNI deployed";
            case ADDONS -> "no addons in the config";
            default -> "KubeSphere is not enabled (--with-kubesphere or a ClusterConfiguration document)";
        };
    }

    /**
     * A phase that cannot be planned: shown in a dry run, refused in a real one. Without an
     * artifact a dry run has not downloaded anything yet, so the phase is planned after the
     * downloads; what stops it now is still shown.
     */
    private static PhaseStatus cannot(Phase phase, KkException e, boolean dryRun, boolean fromArtifact) {
        if (!dryRun) {
            throw e;
        }
        return fromArtifact
                ? new PhaseStatus(phase, State.MISSING_FILES, e.getMessage())
                : new PhaseStatus(
                        phase,
                        State.AFTER_DOWNLOAD,
                        "planned once the binary phase has downloaded its files (now: " + io.kk.error.Causes.describe(e)
                                + ")");
    }

    static PlanReport combine(PlanReport a, PlanReport b) {
        List<io.kk.plan.HostSummary> hosts = new ArrayList<>();
        for (io.kk.plan.HostSummary x : a.hosts()) {
            io.kk.plan.HostSummary y = b.hosts().stream()
                    .filter(h -> h.host().equals(x.host()))
                    .findFirst()
                    .orElse(new io.kk.plan.HostSummary(x.host(), 0, 0, 0, Optional.empty()));
            hosts.add(new io.kk.plan.HostSummary(
                    x.host(),
                    x.changed() + y.changed(),
                    x.unchanged() + y.unchanged(),
                    x.skipped() + y.skipped(),
                    x.failure().isPresent() ? x.failure() : y.failure()));
        }
        return new PlanReport(b.pipeline(), hosts, b.completed());
    }

    private static void addOnce(List<Binary> list, Binary b) {
        if (list.stream().noneMatch(x -> x.path().equals(b.path()))) {
            list.add(b);
        }
    }

    /** The message when the Kubernetes phases cannot run, or empty when kubeadm is there. */
    static Optional<String> missingKubeadm(ClusterConfig c, Inventory inv, Path dir) {
        String version = c.kubernetes().version();
        for (String arch : ClusterBinaries.arches(inv.select(Target::isK8s))) {
            Path kubeadm = dir.resolve(ArtifactPaths.binary("kube", version, arch, "kubeadm"));
            if (!Files.isRegularFile(kubeadm)) {
                return Optional.of("kubeadm " + version + " for " + arch + " is not in " + dir
                        + ": the Kubernetes phases (init, join, configure, addons, kubesphere) need it; kk stops"
                        + " after etcd and the certificate renew timer. Give an artifact that holds kubeadm "
                        + version + " (-a), or put it at " + kubeadm);
            }
        }
        return Optional.empty();
    }

    /** The binaries the requested phases list (and a run without -a downloads first). */
    static List<Binary> neededBinaries(Request r, Path dir) {
        ClusterConfig c = r.config();
        List<Binary> all = ClusterBinaries.all(c, dir, r.artifact() != null, r.download());
        if (r.phases().contains(Phase.BINARY)) {
            return all;
        }
        // create phase X alone: what X installs
        return all.stream()
                .filter(b -> r.phases().stream().anyMatch(p -> installs(p, b.component())))
                .toList();
    }

    /** Whether the phase installs the component on hosts. */
    private static boolean installs(Phase phase, String component) {
        return switch (phase) {
            case REGISTRY -> component.equals("registry");
            case RUNTIME -> List.of("containerd", "runc", "docker", "crictl", "kubecni")
                    .contains(component);
            case ETCD -> component.equals("etcd");
            case INIT, JOIN -> List.of("kubeadm", "kubelet", "kubectl", "helm").contains(component);
            default -> false;
        };
    }

    /**
     * The Kubernetes phases' request: kubeadm, kubelet and kubectl must be in the directory for
     * every arch of the Kubernetes nodes; helm goes along when it is there.
     */
    static KubernetesRequest kubernetesRequest(Request r, Path dir, boolean fromArtifact) {
        ClusterConfig c = r.config();
        Inventory inv = ClusterHosts.inventory(c);
        Map<String, List<FileInstall.Plan>> byArch = new LinkedHashMap<>();
        for (String arch : ClusterBinaries.arches(inv.select(Target::isK8s))) {
            List<FileInstall.Plan> plans = new ArrayList<>();
            for (String component : List.of("kubeadm", "kubelet", "kubectl", "helm")) {
                String version = component.equals("helm")
                        ? ClusterBinaries.versionIn("helm", dir, arch).orElse("")
                        : c.kubernetes().version();
                if (version.isEmpty()) {
                    continue;
                }
                Binary b = ClusterBinaries.binary(component, version, arch, dir, fromArtifact, r.download());
                if (!b.present()) {
                    throw KkException.invalidInput(
                            component + " " + version + " for " + arch + " is not in " + dir,
                            "give an artifact that holds it (kk artifact export), or run without -a to download it");
                }
                plans.add(FileInstall.file(b.path(), "/usr/local/bin/" + component));
            }
            byArch.put(arch, plans);
        }
        return KubernetesSettings.request(c, r.workDir(), byArch);
    }

    static Binary fetch(Binary b, DownloadSource source, Path workDir, EventSink events) {
        ComponentFile file = Catalog.builtin().resolve(b.component(), b.version(), b.arch(), source);
        HttpDownloader downloader = HttpDownloader.standard();
        events.emit(Note.info("downloading " + file.describe() + " from " + file.url()));
        FetchedComponent got = new ComponentFetcher(downloader, new ChecksumResolver(downloader, events))
                .fetch(file, workDir, Map.of(), events);
        return new Binary(
                b.component(),
                b.version(),
                b.arch(),
                got.path(),
                true,
                file.url().toString());
    }

    static EtcdRequest etcdRequest(Request r, Inventory inv, List<Binary> binaries) {
        ClusterConfig c = r.config();
        EtcdConfig e = c.etcd();
        EtcdFiles.EtcdSettings d = EtcdFiles.EtcdSettings.defaults();
        EtcdFiles.EtcdSettings s = new EtcdFiles.EtcdSettings(
                e.port() > 0 ? e.port() : d.port(),
                e.peerPort() > 0 ? e.peerPort() : d.peerPort(),
                blank(e.dataDir()) ? d.dataDir() : e.dataDir(),
                e.heartbeatInterval() > 0 ? e.heartbeatInterval() : d.heartbeatInterval(),
                e.electionTimeout() > 0 ? e.electionTimeout() : d.electionTimeout(),
                e.snapshotCount() > 0 ? e.snapshotCount() : d.snapshotCount(),
                e.autoCompactionRetention() > 0 ? e.autoCompactionRetention() : d.autoCompactionRetention(),
                blank(e.metrics()) ? d.metrics() : e.metrics(),
                e.quotaBackendBytes() == null ? 0 : e.quotaBackendBytes(),
                e.maxRequestBytes() == null ? 0 : e.maxRequestBytes(),
                e.maxSnapshots() == null ? 0 : e.maxSnapshots(),
                e.maxWals() == null ? 0 : e.maxWals(),
                e.logLevel() == null ? "" : e.logLevel(),
                e.extraArgs(),
                blank(e.backupDir()) ? d.backupDir() : e.backupDir(),
                e.backupPeriod() > 0 ? e.backupPeriod() : d.backupPeriodMinutes(),
                e.keepBackupNumber() > 0 ? e.keepBackupNumber() : d.keepBackupNumber(),
                blank(e.backupScript()) ? d.backupScriptDir() : e.backupScript());
        if (e.type() == EtcdConfig.Type.EXTERNAL) {
            EtcdConfig.External x = e.external();
            if (x == null || blank(x.caFile()) || blank(x.certFile()) || blank(x.keyFile())) {
                throw KkException.invalidInput(
                        "etcd type external needs etcd.external.caFile, certFile and keyFile",
                        "give the files of a client certificate the external etcd trusts");
            }
            return new EtcdRequest(
                    inv.hosts(),
                    EtcdRequest.Type.EXTERNAL,
                    "",
                    null,
                    s,
                    null,
                    new EtcdRequest.ExternalFiles(
                            r.configDir().resolve(x.caFile()),
                            r.configDir().resolve(x.certFile()),
                            r.configDir().resolve(x.keyFile())));
        }
        Binary tarball = binaries.get(0);
        EtcdPki pki = new EtcdPki(
                r.workDir().resolve("pki/etcd"),
                EtcdRequest.certHosts(inv.hosts()),
                c.controlPlaneEndpoint().domain(),
                Clock.systemUTC());
        return new EtcdRequest(inv.hosts(), EtcdRequest.Type.KUBEKEY, tarball.version(), tarball.path(), s, pki, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
