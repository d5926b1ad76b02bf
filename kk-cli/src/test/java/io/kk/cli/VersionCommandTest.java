package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionCommandTest {
    private final KkCli kk = new KkCli();

    @Test
    void showSupportedK8sPrintsOneVersionPerLineInSemverOrder() {
        int code = kk.run("version", "--show-supported-k8s");

        assertThat(code).isZero();
        List<String> lines = kk.out().lines().toList();
        assertThat(lines).hasSize(200).allMatch(l -> l.matches("v1\\.\\d+\\.\\d+"));
        assertThat(lines.get(0)).isEqualTo("v1.19.0");
        assertThat(lines).containsSubsequence("v1.19.9", "v1.19.15", "v1.20.4", "v1.23.10", "v1.28.2", "v1.34.0");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("v1.34.0");
        assertThat(kk.err()).isEmpty();
    }

    @Test
    void showSupportedK8sAsJson() throws Exception {
        int code = kk.run("version", "--show-supported-k8s", "--output", "json");

        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(kk.out());
        List<String> versions = new ArrayList<>();
        json.path("supportedKubernetesVersions").forEach(v -> versions.add(v.asText()));
        assertThat(versions).hasSize(200).startsWith("v1.19.0", "v1.19.8").endsWith("v1.34.0");
    }

    @Test
    void plainVersionIsUnchanged() {
        assertThat(kk.run("version")).isZero();
        assertThat(kk.out()).startsWith("kk version ");
    }
}
