package io.kk.cluster.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    static final boolean UPDATE = Boolean.getBoolean("kk.golden.update");

    static Stream<Scenarios.Scenario> scenarios() {
        return Scenarios.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void generatedFilesMatchGolden(Scenarios.Scenario sc) throws IOException {
        Map<String, String> files = Scenarios.files(sc);
        Path dir = GOLDEN.resolve(sc.name());
        if (UPDATE) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
        }
        assertThat(dir)
                .as("golden directory (run with -Dkk.golden.update=true to create)")
                .isDirectory();
        List<String> onDisk;
        try (Stream<Path> s = Files.list(dir)) {
            onDisk = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(onDisk).containsExactlyInAnyOrderElementsOf(files.keySet());
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertThat(f.getValue())
                    .as(sc.name() + "/" + f.getKey())
                    .isEqualTo(Files.readString(dir.resolve(f.getKey()), StandardCharsets.UTF_8));
        }
    }
}
