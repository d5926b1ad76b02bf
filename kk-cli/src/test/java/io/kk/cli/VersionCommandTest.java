package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    @Test
    void showSupportedK8sPrintsOneVersionPerLineInSemverOrder() {
        int code = run("version", "--show-supported-k8s");

        assertThat(code).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(200).allMatch(l -> l.matches("v1\\.\\d+\\.\\d+"));
        assertThat(lines.get(0)).isEqualTo("v1.19.0");
        assertThat(lines).containsSubsequence("v1.19.9", "v1.19.15", "v1.20.4", "v1.23.10", "v1.28.2", "v1.34.0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("v1.34.0");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void showSupportedK8sAsJson() throws Exception {
        int code = run("version", "--show-supported-k8s", "--output", "json");

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        List<String> versions = new ArrayList<>();
        json.path("supportedKubernetesVersions").forEach(v -> versions.add(v.asText()));
        assertThat(versions).hasSize(200).startsWith("v1.19.0", "v1.19.8").endsWith("v1.34.0");
    }

    @Test
    void plainVersionIsUnchanged() {
        assertThat(run("version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("kk version ");
    }
}
