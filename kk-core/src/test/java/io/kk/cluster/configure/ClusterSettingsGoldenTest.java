package io.kk.cluster.configure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.cluster.network.KubeStep;
import io.kk.plan.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Pins the files the configure phase applies after the CNI (coredns.yaml, nodelocaldns.yaml,
 * local-volume.yaml) and its commands, byte for byte, for three Kubernetes versions, Docker Hub or
 * a private registry, KubeKey's defaults and every {@code spec.dns} field. To accept intended
 * changes run with {@code -Dkk.golden.update=true} and review the diff of {@code
 * src/test/resources/golden/cluster-settings}.
 */
class ClusterSettingsGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/cluster-settings");

    static Stream<SettingsScenarios.Scenario> scenarios() {
        return SettingsScenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void filesAndCommandsMatchGolden(SettingsScenarios.Scenario sc) throws IOException {
        List<KubeStep> steps = ClusterSettingsPlan.steps(sc.config(), sc.target());
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder commands = new StringBuilder();
        for (KubeStep st : steps) {
            commands.append("# ").append(st.name()).append('\n');
            st.files().forEach((p, text) -> {
                files.put(p.substring(p.lastIndexOf('/') + 1), text);
                commands.append("write ").append(p).append('\n');
            });
            commands.append("$ ").append(st.script()).append('\n');
        }
        files.put("commands.txt", commands.toString());
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!f.getKey().endsWith(".yaml")) {
                continue;
            }
            assertThat(f.getValue()).doesNotContain("{{");
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(f.getValue())) {
                corefileOf(doc).ifPresent(corefile -> assertThat(
                                corefile.chars().filter(ch -> ch == '{'))
                        .as(f.getKey() + ": every Corefile block is closed")
                        .hasSize((int) corefile.chars().filter(ch -> ch == '}').count()));
                // every document is one kubectl can apply: apiVersion, kind, a name
                assertThat(doc).as(f.getKey()).isInstanceOf(Map.class);
                Map<?, ?> m = (Map<?, ?>) doc;
                assertThat(m.get("apiVersion")).as(f.getKey()).isInstanceOf(String.class);
                assertThat(m.get("kind")).as(f.getKey()).isInstanceOf(String.class);
                assertThat(((Map<?, ?>) m.get("metadata")).get("name")).isInstanceOf(String.class);
            }
        }
        Golden.assertDirectoryMatches(GOLDEN.resolve(sc.name()), files);
    }

    private static java.util.Optional<String> corefileOf(Object doc) {
        if (doc instanceof Map<?, ?> m
                && m.get("data") instanceof Map<?, ?> data
                && data.get("Corefile") instanceof String corefile) {
            return java.util.Optional.of(corefile);
        }
        return java.util.Optional.empty();
    }
}
