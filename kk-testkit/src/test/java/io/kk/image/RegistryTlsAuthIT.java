package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.api.ImageExport;
import io.kk.api.ImagePush;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS registry with a private CA and htpasswd basic auth. */
class RegistryTlsAuthIT {
    static RegistryServer secure;

    @TempDir
    static Path tmp;

    static OciLayout layout;
    static TestImages.Built image;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        secure = RegistryServer.start(RegistryServer.Settings.tlsOnly().withHtpasswd("kk", "Pa55-word!"));
        layout = OciLayout.create(tmp.resolve("layout"));
        image = TestImages.build(layout, TestImages.Spec.small("secure/app:v1", 7));
    }

    @AfterAll
    static void stop() {
        if (secure != null) {
            secure.close();
        }
    }

    private static ImageCopier.Options with(RegistryAuth auth) {
        return ImageCopier.Options.defaults(RegistryCredentials.of(Map.of(secure.host(), auth)));
    }

    @Test
    void pushesWithTheCaFileAndCredentials() {
        RegistryAuth auth = new RegistryAuth("kk", "Pa55-word!", false, false, secure.caCert());
        CopySummary s = ImagePush.push(layout.dir(), RegistryTarget.of(secure.host()), with(auth), EventSink.NONE);
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        RegistryClient c = new RegistryClient(secure.host(), auth);
        assertThat(c.headManifest("secure/app", "v1").orElseThrow().digest())
                .isEqualTo(image.index().digest());
    }

    @Test
    void exportsOverTlsWithTheCaFileAndWithSkipTlsVerify() {
        // blob bodies go over kk's own socket transport: the same TLS settings must hold there
        RegistryAuth withCa = new RegistryAuth("kk", "Pa55-word!", false, false, secure.caCert());
        ImagePush.push(layout.dir(), RegistryTarget.of(secure.host()), with(withCa), EventSink.NONE);
        RegistryAuth insecure = new RegistryAuth("kk", "Pa55-word!", true, false, null);
        for (RegistryAuth auth : List.of(withCa, insecure)) {
            Path out = work.resolve(auth.skipTlsVerify() ? "insecure" : "ca");
            CopySummary s =
                    ImageExport.export(List.of(secure.host() + "/secure/app:v1"), out, with(auth), EventSink.NONE);
            assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
            OciLayout got = OciLayout.open(out);
            for (String blob : image.blobs()) {
                assertThat(got.verifyBlob(blob)).as(blob).isTrue();
            }
        }
        RegistryAuth noCa = new RegistryAuth("kk", "Pa55-word!", false, false, null);
        assertThatThrownBy(() -> new RegistryClient(
                                secure.host(),
                                noCa,
                                new RegistryClient.Options(
                                        1, java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(5)))
                        .downloadBlob(
                                "secure/app",
                                Descriptor.of(
                                        MediaTypes.OCI_LAYER_GZIP, image.blobs().get(0), -1),
                                work.resolve("refused.part"),
                                n -> {}))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("TLS handshake failed");
    }

    @Test
    void skipTlsVerifyAcceptsTheUnknownCa() {
        RegistryClient c = new RegistryClient(secure.host(), new RegistryAuth("kk", "Pa55-word!", true, false, null));
        c.ping();
    }

    @Test
    void withoutTheCaTheCertificateIsRefused() {
        RegistryClient c = new RegistryClient(
                secure.host(),
                new RegistryAuth("kk", "Pa55-word!", false, false, null),
                new RegistryClient.Options(1, java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(5)));
        assertThatThrownBy(c::ping).isInstanceOf(KkException.class).hasMessageContaining("TLS handshake failed");
    }

    @Test
    void aWrongPasswordFailsWithAHintAndNeverShowsThePassword() {
        RegistryClient c = new RegistryClient(
                secure.host(), new RegistryAuth("kk", "wrong-Secret-42", false, false, secure.caCert()));
        assertThatThrownBy(c::ping)
                .isInstanceOf(KkException.class)
                .hasMessageContaining("401")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("wrong-Secret-42");
                    assertThat(((KkException) e).hint()).contains("credentials");
                });
    }

    @Test
    void noCredentialsForABasicRegistryIsExplained() {
        RegistryClient c =
                new RegistryClient(secure.host(), new RegistryAuth(null, null, false, false, secure.caCert()));
        assertThatThrownBy(c::ping).isInstanceOf(KkException.class).hasMessageContaining("requires a username");
    }
}
