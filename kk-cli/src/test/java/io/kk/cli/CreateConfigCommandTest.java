package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.Configs;
import io.kk.config.LoadedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateConfigCommandTest {
    @TempDir
    Path dir;

    private final KkCli kk = new KkCli();

    @Test
    void writesASampleThatLoadsBackWithoutProblems() {
        Path file = dir.resolve("my.yaml");
        int code = kk.run("create", "config", "--name", "prod", "--with-kubernetes", "v1.28.2", "-f", file.toString());
        assertThat(code).as(kk.err()).isZero();
        assertThat(file).exists();
        assertThat(kk.out()).contains("wrote " + file, "Kubernetes v1.28.2");
        LoadedCluster loaded = Configs.check(file, v -> true);
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.config().name()).isEqualTo("prod");
        assertThat(loaded.config().kubernetes().version()).isEqualTo("v1.28.2");
        assertThat(loaded.config().kubernetes().containerManager()).isEqualTo("containerd");
    }

    @Test
    void defaultsToKubeKeysVersion() {
        Path file = dir.resolve("c.yaml");
        assertThat(kk.run("create", "config", "-f", file.toString())).isZero();
        assertThat(Configs.load(file).config().kubernetes().version()).isEqualTo("v1.23.10");
        assertThat(Configs.load(file).config().name()).isEqualTo("sample");
        assertThat(Configs.defaultConfigFile("sample")).isEqualTo(Path.of("config-sample.yaml"));
    }

    @Test
    void invalidVersionIsExitTwoWithAClearMessageAndNoStackTrace() {
        Path file = dir.resolve("c.yaml");
        int code = kk.run("create", "config", "--with-kubernetes", "1.28", "-f", file.toString());
        assertThat(code).isEqualTo(2);
        assertThat(kk.err())
                .contains("error: malformed Kubernetes version \"1.28\"", "hint: write it as vX.Y.Z")
                .doesNotContain("Exception", "\tat ");
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesToOverwriteWithoutYes() throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "mine\n");
        assertThat(kk.run("create", "config", "-f", file.toString())).isEqualTo(2);
        assertThat(kk.err()).contains("already exists", "--yes");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
        assertThat(kk.run("create", "config", "-f", file.toString(), "--yes")).isZero();
        assertThat(Files.readString(file)).startsWith("apiVersion: kubekey.kubesphere.io/v1alpha2");
    }

    @Test
    void badNameIsRefused() {
        assertThat(kk.run(
                        "create",
                        "config",
                        "--name",
                        "Bad Name",
                        "-f",
                        dir.resolve("x.yaml").toString()))
                .isEqualTo(2);
        assertThat(kk.err()).contains("invalid name \"Bad Name\"");
    }

    @Test
    void jsonOutputNamesTheFile() {
        Path file = dir.resolve("j.yaml");
        assertThat(kk.run("create", "config", "-f", file.toString(), "--output", "json"))
                .isZero();
        assertThat(kk.out()).contains("\"file\" : \"" + file + "\"").doesNotContain("wrote");
    }
}
