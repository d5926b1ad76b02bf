package io.kk.cli;

import io.kk.api.Configs;
import io.kk.api.CreateCluster;
import io.kk.cluster.create.Phase;
import io.kk.cluster.create.PhaseStatus;
import io.kk.cluster.storage.LocalStorage;
import io.kk.config.ClusterConfig;
import io.kk.error.KkException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What {@code create cluster} and {@code create phase} share: the options, loading the config (or
 * the all-in-one one), the dry run, the confirmation, the run and its exit.
 */
final class CreateRunner {
    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            description = "The Cluster config (default: an all-in-one cluster on this machine).")
    Path configFile;

    @Option(
            names = {"-a", "--artifact"},
            paramLabel = "FILE|DIR",
            description = "An artifact, or the directory it was imported to (default: download what is needed).")
    Path artifact;

    @Option(
            names = "--with-kubernetes",
            paramLabel = "VERSION",
            description = "Kubernetes version of the all-in-one cluster (without -f).")
    String kubernetesVersion;

    @Option(
            names = "--with-kubesphere",
            paramLabel = "VERSION",
            arity = "0..1",
            fallbackValue = "",
            description = "Install KubeSphere v3 (ks-installer) after the cluster; VERSION defaults to v3.4.1.")
    String withKubesphere;

    @Option(
            names = "--with-local-storage",
            paramLabel = "true|false",
            arity = "0..1",
            fallbackValue = "true",
            description =
                    "Deploy OpenEBS local PV as the default StorageClass \"local\" (default: only with KubeSphere).")
    Boolean withLocalStorage;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "kubekey",
            description = "kk's work dir: imported artifact, downloads, certificates (default: ${DEFAULT-VALUE}).")
    Path workDir;

    int run(Console console, HostOptions hosts, DownloadOptions download, List<Phase> phases, String name) {
        ClusterConfig config;
        Path configDir;
        if (configFile != null) {
            if (kubernetesVersion != null) {
                throw KkException.invalidInput(
                        "--with-kubernetes is for the all-in-one cluster (without -f)",
                        "set spec.kubernetes.version in " + configFile + " instead");
            }
            config = ConfigOption.load(configFile, console);
            configDir = configFile.toAbsolutePath().getParent();
        } else {
            config = Configs.allInOne(kubernetesVersion);
            configDir = Path.of("").toAbsolutePath();
        }
        if (withKubesphere != null) {
            config = CreateCluster.withKubeSphere(config, withKubesphere);
        }
        config = LocalStorage.withFlag(config, withLocalStorage);
        CreateCluster.Request request = new CreateCluster.Request(
                config, configDir, artifact, workDir, download.source(), phases, name, hosts.toOptions());
        if (hosts.dryRun) {
            CreateCluster.Preview preview = CreateCluster.preview(request);
            console.line(preview.render());
            console.result(preview);
            return 0;
        }
        CreateCluster.Plan plan = CreateCluster.plan(request);
        boolean afterDownload = plan.phases().stream().anyMatch(s -> s.state() == PhaseStatus.State.AFTER_DOWNLOAD);
        if (plan.pipeline().modules().isEmpty() && !afterDownload) {
            String why = plan.stop()
                    .orElse(plan.phases().isEmpty() ? "" : plan.phases().get(0).detail());
            throw KkException.environment(name + ": nothing can run: " + why, hintFor(plan));
        }
        if (!yes) {
            confirm(console, plan);
        }
        CreateCluster.Result result = CreateCluster.run(request, console);
        console.result(Summary.of(result));
        result.report().orThrow();
        if (!result.stop().isEmpty()) {
            throw KkException.environment(name + " stopped: " + result.stop(), hintFor(plan));
        }
        console.line(name + ": done");
        return 0;
    }

    /** The JSON result: phases, binaries and one row per host. */
    record Summary(
            String name, boolean ok, List<PhaseStatus> phases, List<String> binaries, List<Host> hosts, String stop) {
        record Host(String host, int changed, int unchanged, int skipped, String failure) {}

        static Summary of(CreateCluster.Result r) {
            return new Summary(
                    r.name(),
                    r.report().ok() && r.stop().isEmpty(),
                    r.phases(),
                    r.binaries().stream().map(CreateCluster.Binary::render).toList(),
                    r.report().hosts().stream()
                            .map(h -> new Host(
                                    h.host(),
                                    h.changed(),
                                    h.unchanged(),
                                    h.skipped(),
                                    h.failure()
                                            .map(f -> f.task() + " / " + f.action() + ": " + f.message())
                                            .orElse("")))
                            .toList(),
                    r.stop());
        }
    }

    private static String hintFor(CreateCluster.Plan plan) {
        boolean noKubeadm = plan.phases().stream().anyMatch(p -> p.state() == PhaseStatus.State.MISSING_KUBEADM);
        if (plan.stop().isPresent() && noKubeadm) {
            return "what ran is complete and a rerun keeps it; the Kubernetes phases run once kubeadm is there";
        }
        return plan.stop().isPresent()
                ? "what ran is complete and a rerun keeps it"
                : "run kk create cluster --dry-run to see the phases this build of kk can run";
    }

    private static void confirm(Console console, CreateCluster.Plan plan) {
        console.err().println(plan.name() + ": phases in order");
        plan.phases().forEach(p -> console.err().println(p.render()));
        plan.stop().ifPresent(s -> console.err().println("then: " + s));
        if (System.console() == null) {
            throw KkException.invalidInput(
                    plan.name() + " asks for confirmation, and stdin is not a terminal",
                    "add --yes to run without asking, or --dry-run to see the full plan");
        }
        console.err().print("Continue this installation? [yes/no]: ");
        console.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null
                    || !(answer.strip().equalsIgnoreCase("yes")
                            || answer.strip().equalsIgnoreCase("y"))) {
                throw KkException.failed("not confirmed: nothing was done", "answer yes, or add --yes");
            }
        } catch (IOException e) {
            throw KkException.environment("cannot read the answer: " + io.kk.error.Causes.describe(e), "add --yes");
        }
    }
}
