package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.image.RegistryTarget;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactImagesPushCommandIT {
    @TempDir
    Path tmp;

    @Test
    void pushesAnArtifactsImagesWithRewrittenNames() {
        try (RegistryServer reg = RegistryServer.plain()) {
            OciLayout layout = OciLayout.create(tmp.resolve("artifact/images"));
            TestImages.Built img = TestImages.build(layout, TestImages.Spec.small("docker.io/calico/cni:v3.23.2", 5));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    "artifact",
                    "images",
                    "push",
                    "-a",
                    tmp.resolve("artifact").toString(),
                    "--registry",
                    reg.host(),
                    "--namespace-override",
                    "kubesphereio",
                    "--plain-http");
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(text)
                    .contains("pushed    " + reg.host() + "/kubesphereio/cni:v3.23.2@"
                            + img.index().digest());
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("images 1/1");
            RegistryClient c = new RegistryClient(reg.host(), new RegistryAuth(null, null, false, true, null));
            assertThat(c.headManifest("kubesphereio/cni", "v3.23.2")
                            .orElseThrow()
                            .digest())
                    .isEqualTo(img.index().digest());
            assertThat(RegistryTarget.of(reg.host()).registryHost()).isEqualTo(reg.host());
        }
    }

    @Test
    void withoutARegistryItIsAnInputError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OciLayout.create(tmp.resolve("l"));
        int code = Main.run(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                "artifact",
                "images",
                "push",
                "-a",
                tmp.resolve("l").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--registry");
    }
}
