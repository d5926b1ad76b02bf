package io.kk.cluster.kubernetes;

import io.kk.plan.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every generated file, byte for byte, for clusters spanning the three kubeadm APIs, both HA
 * modes and none, each runtime and each etcd type. To accept intended changes, run with
 * {@code -Dkk.golden.update=true} and review the diff of {@code src/test/resources/golden}.
 */
class KubernetesGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/kubernetes");

    static Stream<Scenarios.Scenario> scenarios() {
        return Scenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void generatedFilesMatchGolden(Scenarios.Scenario sc) throws IOException {
        Map<String, String> files = Scenarios.files(sc);
        Golden.assertDirectoryMatches(GOLDEN.resolve(sc.name()), files);
    }
}
