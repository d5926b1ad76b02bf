package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.ManifestCreate;
import io.kk.artifact.ArtifactPaths;
import io.kk.cluster.addons.AddonsPlan;
import io.kk.cluster.addons.KubeSphereFiles;
import io.kk.config.ClusterConfig;
import io.kk.config.ConfigLoader;
import io.kk.config.KnownVersions;
import io.kk.config.Manifest;
import io.kk.event.EventSink;
import io.kk.image.ImageReference;
import io.kk.image.RegistryTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The CNI images the generated manifests (and cilium's and hybridnet's helm overrides) make the nodes pull are the
 * CNI images {@code kk create manifest --with-kubernetes V} puts in the artifact for that plugin,
 * named on the nodes exactly as {@code PushImages} names them in the private registry.
 */
class CniImagesMatchArtifactTest {
    static final List<String> PLUGINS = List.of("calico", "flannel", "cilium", "kubeovn", "hybridnet");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String v : NetworkScenarios.VERSIONS) {
            for (String plugin : PLUGINS) {
                out.add(Arguments.of(v, plugin, false, 0));
                out.add(Arguments.of(v, plugin, true, 0));
            }
        }
        // above 50 Kubernetes nodes calico runs typha, and the artifact carries it
        out.add(Arguments.of("v1.26.15", "calico", false, 50));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} multus={2} extraWorkers={3}")
    @MethodSource("cases")
    void manifestsPullExactlyTheArtifactsCniImages(String version, String plugin, boolean multus, int extraWorkers)
            throws IOException {
        String network = "    plugin: " + plugin + "\n" + (multus ? "    multusCNI:\n      enabled: true\n" : "");
        Set<String> artifact = cniImagesInArtifact(version, network, extraWorkers);
        Set<String> pulled = pulled(version, network, extraWorkers, RegistryTarget.of(""));
        // exactly: the artifact carries nothing the nodes never pull (e.g. calico's pod2daemon-flexvol)
        assertThat(pulled).containsExactlyInAnyOrderElementsOf(artifact);
        if (plugin.equals("calico") && extraWorkers > 0) {
            assertThat(pulled).contains("docker.io/calico/typha:v3.26.1");
        }
        if (multus) {
            assertThat(pulled).contains("docker.io/kubesphere/multus-cni:v3.8");
        }
        if (plugin.equals("kubeovn")) {
            assertThat(pulled).contains("docker.io/kubeovn/kube-ovn:v1.10.6");
        }
        if (plugin.equals("hybridnet")) {
            assertThat(pulled).contains("docker.io/hybridnetdev/hybridnet:v0.8.6");
        }
    }

    @Test
    void privateRegistryNamesAreThePushedNames() throws IOException {
        RegistryTarget target = new RegistryTarget("dockerhub.kubekey.local", "kubesphereio", null, false);
        for (String plugin : PLUGINS) {
            String network = "    plugin: " + plugin + "\n    multusCNI:\n      enabled: true\n";
            Set<String> pushed = new TreeSet<>();
            for (String source : cniImagesInArtifact("v1.31.4", network, 0)) {
                pushed.add(target.destinationFor(ImageReference.parse(source)).toString());
            }
            Set<String> pulled = referenced(settings("v1.31.4", network, 0, target));
            assertThat(pushed).containsAll(pulled);
            assertThat(pulled).allMatch(i -> i.startsWith("dockerhub.kubekey.local/kubesphereio/"));
        }
    }

    @Test
    void ciliumChartTheNetworkPhaseInstallsIsInTheManifest() throws IOException {
        String version = "v1.31.4";
        String network = "    plugin: cilium\n";
        ManifestCreate.Created created = create(version, NetworkScenarios.text(version, false, network, "", ""));
        assertThat(created.manifest().charts())
                .containsExactly(new Manifest.Chart(
                        "cilium",
                        "https://helm.cilium.io/",
                        CniManifests.ciliumChartVersion(settings(version, network, 0, RegistryTarget.of(""))),
                        ""));
        // kk artifact export packs each chart at ArtifactPaths.chart: the CNI phase finds it there
        Path artifact = dir.resolve("artifact");
        for (Manifest.Chart c : created.manifest().charts()) {
            Path packed = artifact.resolve(ArtifactPaths.chart(c.name(), c.version()));
            Files.createDirectories(packed.getParent());
            Files.writeString(packed, "chart");
        }
        List<KubeStep> steps = CniManifests.steps(settings(version, network, 0, RegistryTarget.of("")), artifact);
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).uploads()).containsValue(artifact.resolve("charts/cilium-1.11.7.tgz"));

        String calico = NetworkScenarios.text(version, false, "    plugin: calico\n", "", "");
        assertThat(create(version, calico).manifest().charts()).isEmpty();
    }

    @Test
    void hybridnetChartTheNetworkPhaseInstallsIsInTheManifest() throws IOException {
        String version = "v1.26.15";
        String network = "    plugin: hybridnet\n";
        ManifestCreate.Created created = create(version, NetworkScenarios.text(version, false, network, "", ""));
        assertThat(created.manifest().charts())
                .containsExactly(new Manifest.Chart("hybridnet", "https://alibaba.github.io/hybridnet/", "0.6.6", ""));
        NetworkSettings s = settings(version, network, 0, RegistryTarget.of(""));
        Path artifact = dir.resolve("artifact");
        // without the chart in the artifact the phase stops before touching the cluster, naming it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CniManifests.steps(s, artifact))
                .hasMessageContaining("charts/hybridnet-0.6.6.tgz")
                .isInstanceOf(io.kk.error.KkException.class);
        for (Manifest.Chart c : created.manifest().charts()) {
            Path packed = artifact.resolve(ArtifactPaths.chart(c.name(), c.version()));
            Files.createDirectories(packed.getParent());
            Files.writeString(packed, "chart");
        }
        List<KubeStep> steps = CniManifests.steps(s, artifact);
        assertThat(steps.get(0).uploads()).containsValue(artifact.resolve("charts/hybridnet-0.6.6.tgz"));
        // kube-ovn has no chart: its manifests are generated
        String kubeovn = NetworkScenarios.text(version, false, "    plugin: kubeovn\n", "", "");
        assertThat(create(version, kubeovn).manifest().charts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v3.3.2", "v3.4.1", ""})
    void kubesphereInstallerImageIsInTheManifest(String ksVersion) throws IOException {
        String version = "v1.26.15";
        String text = NetworkScenarios.text(version, false, "    plugin: calico\n", "", "")
                + "---\napiVersion: installer.kubesphere.io/v1alpha1\nkind: ClusterConfiguration\n"
                + "metadata:\n  name: ks-installer\n  namespace: kubesphere-system\n"
                + (ksVersion.isEmpty() ? "" : "  labels:\n    version: " + ksVersion + "\n")
                + "spec:\n  persistence:\n    storageClass: \"\"\n";
        ManifestCreate.Created created = create(version, text);
        ClusterConfig c =
                ConfigLoader.cluster(text, "t.yaml", KnownVersions.ANY).config();
        assertThat(c.kubesphere().enabled()).isTrue();
        Set<String> needed = new TreeSet<>();
        for (Object doc : new Yaml(new LoaderOptions())
                .loadAll(KubeSphereFiles.manifest(AddonsPlan.kubesphereSettings(c, RegistryTarget.of(""))))) {
            collectImages(doc, needed);
        }
        String expected = "docker.io/kubesphere/ks-installer:" + (ksVersion.isEmpty() ? "v3.4.1" : ksVersion);
        assertThat(needed).map(i -> ImageReference.parse(i).toString()).containsExactly(expected);
        assertThat(created.manifest().images()).contains(expected);
        // and without KubeSphere no installer
        String plain = NetworkScenarios.text(version, false, "    plugin: calico\n", "", "");
        assertThat(create(version, plain).manifest().images()).noneMatch(i -> i.contains("ks-installer"));
    }

    private ManifestCreate.Created create(String version, String configText) throws IOException {
        Path config = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(config, configText);
        Path out = Files.createTempFile(dir, "manifest", ".yaml");
        return ManifestCreate.create(
                new ManifestCreate.Request("t", List.of(version), config, null, List.of("amd64"), false, out, true),
                EventSink.NONE);
    }

    /** What {@code kk create manifest -f config --with-kubernetes V} lists, minus what plugin none lists. */
    private Set<String> cniImagesInArtifact(String version, String network, int extraWorkers) throws IOException {
        Set<String> with = manifestImages(version, network, extraWorkers);
        Set<String> without = manifestImages(version, "    plugin: none\n", extraWorkers);
        Set<String> out = new TreeSet<>(with);
        out.removeAll(without);
        return out;
    }

    private Set<String> manifestImages(String version, String network, int extraWorkers) throws IOException {
        Path config = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(
                config, NetworkScenarios.text(version, false, network, "", NetworkScenarios.workers(extraWorkers)));
        Path out = Files.createTempFile(dir, "manifest", ".yaml");
        ManifestCreate.Created c = ManifestCreate.create(
                new ManifestCreate.Request("t", List.of(version), config, null, List.of("amd64"), false, out, true),
                EventSink.NONE);
        return new TreeSet<>(c.manifest().images());
    }

    private Set<String> pulled(String version, String network, int extraWorkers, RegistryTarget target) {
        Set<String> out = new TreeSet<>();
        for (String name : referenced(settings(version, network, extraWorkers, target))) {
            out.add(ImageReference.parse(name).toString());
        }
        return out;
    }

    private static NetworkSettings settings(String version, String network, int extraWorkers, RegistryTarget t) {
        String text = NetworkScenarios.text(version, false, network, "", NetworkScenarios.workers(extraWorkers));
        ClusterConfig c =
                ConfigLoader.cluster(text, "t.yaml", KnownVersions.ANY).config();
        return NetworkSettings.of(c, t);
    }

    /** Every image the generated files name, plus cilium's image overrides on the helm command. */
    static Set<String> referenced(NetworkSettings s) {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, String> f : CniManifests.files(s).entrySet()) {
            if (!f.getKey().endsWith(".yaml")) {
                continue; // kubectl-ko runs kubectl exec in existing pods: it pulls nothing
            }
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(f.getValue())) {
                collectImages(doc, out);
            }
        }
        if (s.plugin().equals(NetworkSettings.CILIUM)) {
            Matcher m = Pattern.compile("--set (?:operator\\.)?image\\.override=(\\S+)")
                    .matcher(CniManifests.ciliumCommand(s));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        if (s.plugin().equals(NetworkSettings.HYBRIDNET)) {
            // the chart pulls {{registryURL}}/{{images.hybridnet.image}}:{{images.hybridnet.tag}} only
            Matcher m = Pattern.compile("--set images\\.hybridnet\\.image=(\\S+) --set images\\.hybridnet\\.tag=(\\S+)"
                            + " --set images\\.registryURL=(\\S+)")
                    .matcher(CniManifests.hybridnetCommand(s));
            assertThat(m.find()).isTrue();
            out.add(m.group(3) + "/" + m.group(1) + ":" + m.group(2));
        }
        return out;
    }

    private static void collectImages(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("image".equals(k) && v instanceof String img) {
                    out.add(img);
                } else {
                    collectImages(v, out);
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(x -> collectImages(x, out));
        }
    }
}
