package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * `kk create cluster -f F --dry-run` and `kk create manifest -f F` on every KubeKey config written
 * by other people (kk-core's src/test/resources/compat, read there by CompatFixturesTest): each one
 * KubeKey accepts is planned, and its Manifest written, without connecting anywhere.
 */
class CompatFixturesDryRunTest {
    static final Path FIXTURES = Path.of("../kk-core/src/test/resources/compat");

    @TempDir
    Path dir;

    static Stream<String> clusterFiles() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("cluster-"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusterFiles")
    void aUsersClusterConfigIsPlannedAndItsManifestWritten(String file) throws IOException {
        String config = FIXTURES.resolve(file).toString();
        KkRun plan = KkRun.of(
                "create",
                "cluster",
                "--dry-run",
                "-f",
                config,
                "--dir",
                dir.resolve("work").toString(),
                "--known-hosts",
                dir.resolve("known_hosts").toString());
        assertThat(plan.exit()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("plan: create cluster");

        Path manifest = dir.resolve("manifest.yaml");
        KkRun created = KkRun.of("create", "manifest", "-f", config, "-o", manifest.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(Files.readString(manifest)).contains("kind: Manifest", "kubernetesDistributions:");
    }
}
