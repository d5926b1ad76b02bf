package io.kk.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void dockerConfigAuthsAreDecodedAndHubKeysNormalised() throws Exception {
        String a = Base64.getEncoder().encodeToString("bob:s3cret:with:colons".getBytes(StandardCharsets.UTF_8));
        String b = Base64.getEncoder().encodeToString("hub:pw".getBytes(StandardCharsets.UTF_8));
        Path cfg = dir.resolve("config.json");
        Files.writeString(
                cfg,
                "{\"auths\":{\"https://reg.local:5000/v2/\":{\"auth\":\"" + a
                        + "\"},\"https://index.docker.io/v1/\":{\"auth\":\"" + b + "\"}}}");
        RegistryCredentials c = RegistryCredentials.fromDockerConfig(cfg);
        assertThat(c.forHost("reg.local:5000").username()).isEqualTo("bob");
        assertThat(c.forHost("reg.local:5000").password()).isEqualTo("s3cret:with:colons");
        assertThat(c.forHost("docker.io").username()).isEqualTo("hub");
        assertThat(c.forHost("other").hasCredentials()).isFalse();
        assertThat(c.forHost("reg.local:5000").toString()).doesNotContain("s3cret");
    }

    @Test
    void configAuthsWinAndBorrowDockerCredentials() {
        RegistryCredentials cfg =
                RegistryCredentials.of(Map.of("reg.local", new RegistryAuth(null, null, true, true, null)));
        RegistryCredentials docker =
                RegistryCredentials.of(Map.of("reg.local", new RegistryAuth("u", "p", false, false, null)));
        RegistryAuth merged = cfg.orElse(docker).forHost("reg.local");
        assertThat(merged.plainHttp()).isTrue();
        assertThat(merged.skipTlsVerify()).isTrue();
        assertThat(merged.username()).isEqualTo("u");
    }

    @Test
    void missingDockerConfigGivesNothing() {
        assertThat(RegistryCredentials.fromDockerConfig(dir.resolve("none.json"))
                        .forHost("x"))
                .isEqualTo(RegistryAuth.ANONYMOUS);
    }
}
