package io.kk.cluster.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.cluster.runtime.RuntimeSettings.RegistryAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeFilesTest {
    private final RuntimeSettings settings = new RuntimeSettings(
            "/data/containerd",
            "dockerhub.kubekey.local/kubesphereio/pause:3.9",
            List.of("https://mirror.example"),
            List.of("10.0.0.5:5000"),
            List.of(
                    new RegistryAccess(
                            "dockerhub.kubekey.local",
                            "admin",
                            "p\"w\\d",
                            "/etc/containerd/certs/dockerhub.kubekey.local/ca.crt",
                            "",
                            "",
                            false,
                            false),
                    new RegistryAccess("plain.local:5000", "", "", "", "", "", false, true)),
            "native",
            "172.30.0.0/16");

    @Test
    void containerdItselfAcceptsTheConfigAndSeesOurSettings(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.toml");
        Files.writeString(config, ContainerdFiles.config(settings));
        // `containerd config dump` parses the file the way the daemon will and prints the result
        Process p = new ProcessBuilder("containerd", "--config", config.toString(), "config", "dump")
                .redirectErrorStream(true)
                .start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(dump).isZero();
        assertThat(dump)
                .contains("root = \"/data/containerd\"")
                .contains("sandbox_image = \"dockerhub.kubekey.local/kubesphereio/pause:3.9\"")
                .contains("snapshotter = \"native\"")
                .contains("SystemdCgroup = true")
                .contains("endpoint = [\"https://mirror.example\", \"https://registry-1.docker.io\"]")
                .contains("endpoint = [\"http://10.0.0.5:5000\"]")
                .contains("endpoint = [\"http://plain.local:5000\"]")
                .contains("ca_file = \"/etc/containerd/certs/dockerhub.kubekey.local/ca.crt\"");
        // the password survives TOML escaping exactly
        assertThat(dump).contains("password = \"p\\\"w\\\\d\"");
    }

    @Test
    void settingsNeverPrintTheirPasswords() {
        assertThat(settings.toString()).doesNotContain("p\"w\\d").contains("<redacted>");
    }

    @Test
    void dockerDaemonJson() throws Exception {
        JsonNode json = new ObjectMapper().readTree(DockerFiles.daemonJson(settings));
        assertThat(json.get("data-root").asText()).isEqualTo("/data/containerd");
        assertThat(json.get("registry-mirrors").toString()).isEqualTo("[\"https://mirror.example\"]");
        assertThat(json.get("insecure-registries").toString()).isEqualTo("[\"10.0.0.5:5000\",\"plain.local:5000\"]");
        assertThat(json.get("bip").asText()).isEqualTo("172.30.0.1/16");
        assertThat(json.get("exec-opts").toString()).isEqualTo("[\"native.cgroupdriver=systemd\"]");
        assertThat(json.get("log-opts").get("max-size").asText()).isEqualTo("5m");
    }

    @Test
    void bridgeIpFollowsKubeKey() {
        assertThat(DockerFiles.bridgeIp("")).isEmpty();
        assertThat(DockerFiles.bridgeIp("192.168.10.0/24")).isEqualTo("192.168.10.1/24");
        assertThat(DockerFiles.bridgeIp("192.168.10.77/24")).isEqualTo("192.168.10.1/24");
        assertThat(DockerFiles.bridgeIp("nonsense")).isEqualTo("172.17.0.1/16");
    }

    @Test
    void crictlPointsAtTheSocket() {
        assertThat(ContainerdFiles.crictl(ContainerdFiles.SOCKET))
                .startsWith(
                        "runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\n");
    }
}
