package io.kk.cli;

import io.kk.api.ManifestCreate;
import io.kk.config.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "manifest",
        description = "Write a Manifest: for Kubernetes versions or a Cluster config (components at kk's"
                + " defaults, the images they need), or for a live cluster (--kubeconfig).")
final class CreateManifestCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Option(names = "--name", defaultValue = "sample", description = "Manifest name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--with-kubernetes",
            split = ",",
            paramLabel = "VERSION",
            description = "Kubernetes version(s), e.g. v1.28.2,v1.27.6.")
    List<String> kubernetesVersions = new ArrayList<>();

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "CONFIG",
            description = "A Cluster config: its version, runtime, network plugin, LB and registry auths.")
    Path config;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Scan this live cluster (nodes and every pod's images). Used by default"
                    + " (~/.kube/config, when present) if neither --with-kubernetes nor -f is given.")
    Path kubeconfig;

    @Option(
            names = "--arch",
            split = ",",
            paramLabel = "ARCH",
            description = "Arches for versions/config (default amd64); a scan takes the nodes' arches.")
    List<String> arches = new ArrayList<>();

    @Option(names = "--with-registry", description = "Also deliver docker-registry.")
    boolean withRegistry;

    @Option(
            names = "--with-local-storage",
            description = "Also list OpenEBS local PV's images (create cluster --with-local-storage; listed anyway"
                    + " when the config has KubeSphere).")
    boolean withLocalStorage;

    @Option(
            names = "--with-kubesphere",
            paramLabel = "VERSION",
            arity = "0..1",
            fallbackValue = "",
            description = "Also list KubeSphere v3's images (its core, and the components the config's"
                    + " ClusterConfiguration enables); VERSION defaults to the config's or v3.4.1.")
    String withKubesphere;

    @Option(
            names = {"-o", "--output-file"},
            paramLabel = "FILE",
            description = "Output file (default: manifest-<name>.yaml).")
    Path output;

    @Option(
            names = {"-y", "--yes"},
            description = "Overwrite the output file if it exists.")
    boolean yes;

    CreateManifestCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Path scan = kubeconfig;
        if (scan == null && kubernetesVersions.isEmpty() && config == null) {
            Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
            scan = Files.isRegularFile(home) ? home : null;
        }
        ManifestCreate.Created created = ManifestCreate.create(
                new ManifestCreate.Request(
                        name,
                        kubernetesVersions,
                        config,
                        scan,
                        arches,
                        withRegistry,
                        output,
                        yes,
                        withLocalStorage,
                        withKubesphere),
                console);
        Manifest m = created.manifest();
        console.line("wrote " + created.file() + ": arches " + m.arches() + ", Kubernetes "
                + m.kubernetesDistributions().stream()
                        .map(Manifest.KubernetesDistribution::version)
                        .toList()
                + ", " + m.images().size() + " images"
                + (m.charts().isEmpty() ? "" : ", " + m.charts().size() + " charts")
                + "; add ISOs and registry auths, then run kk artifact export -m "
                + created.file());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", created.file().toString());
        result.put("arches", m.arches());
        result.put("images", m.images());
        result.put("charts", m.charts());
        console.result(result);
        return 0;
    }
}
