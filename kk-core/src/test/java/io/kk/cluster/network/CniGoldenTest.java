package io.kk.cluster.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.plan.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every CNI file kk generates and every command it runs on the first control plane, byte for
 * byte, for each plugin x three Kubernetes versions (kubeadm v1beta2/v1beta3/v1beta4) x Docker
 * Hub or a private registry, plus the options KubeKey exposes. To accept intended changes run
 * with {@code -Dkk.golden.update=true} and review the diff of {@code src/test/resources/golden/cni}.
 */
class CniGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/cni");

    @TempDir
    static Path artifact;

    static Stream<NetworkScenarios.Scenario> scenarios() {
        return NetworkScenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void generatedFilesAndCommandsMatchGolden(NetworkScenarios.Scenario sc) throws IOException {
        NetworkSettings s = sc.settings();
        Path charts = artifact.resolve("charts");
        Files.createDirectories(charts);
        Files.writeString(charts.resolve("cilium-1.11.7.tgz"), "stand-in for the chart: only its digest matters here");
        Files.writeString(charts.resolve("hybridnet-0.6.6.tgz"), "stand-in for the chart: only its digest matters");
        Map<String, String> files = new LinkedHashMap<>();
        CniManifests.files(s).forEach((p, c) -> files.put(p.substring(p.lastIndexOf('/') + 1), c));
        String commands = commands(CniManifests.steps(s, artifact));
        if (!CniManifests.everyControlPlaneSteps(s).isEmpty()) {
            commands += "## on every control plane\n" + commands(CniManifests.everyControlPlaneSteps(s));
        }
        files.put("commands.txt", commands);
        for (Map.Entry<String, String> f : CniManifests.files(s).entrySet()) {
            String text = f.getValue();
            if (!f.getKey().endsWith(".yaml")) {
                // kubectl-ko: a bash script; bash -n checks it in KubeOvnTest
                continue;
            }
            assertThat(text).doesNotContain("{{");
            for (Object doc : new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.LoaderOptions()).loadAll(text)) {
                // every document is one kubectl can apply: apiVersion, kind, a name
                assertThat(doc).isInstanceOf(Map.class);
                Map<?, ?> m = (Map<?, ?>) doc;
                assertThat(m.get("apiVersion")).as(sc.name()).isInstanceOf(String.class);
                assertThat(m.get("kind")).as(sc.name()).isInstanceOf(String.class);
                assertThat(((Map<?, ?>) m.get("metadata")).get("name"))
                        .as(sc.name())
                        .isInstanceOf(String.class);
            }
        }
        Golden.assertDirectoryMatches(GOLDEN.resolve(sc.name()), files);
    }

    /** Each step as it runs: the files it places, its command with retries, in order. */
    static String commands(List<KubeStep> steps) {
        StringBuilder b = new StringBuilder();
        for (KubeStep st : steps) {
            b.append("# ").append(st.name()).append('\n');
            st.files().keySet().forEach(p -> b.append("write ").append(p).append('\n'));
            st.uploads().forEach((p, f) -> b.append("upload ")
                    .append(p)
                    .append(" from <artifact>/")
                    .append(artifact.relativize(f))
                    .append('\n'));
            b.append("$ ").append(st.script()).append('\n');
        }
        return b.toString();
    }
}
