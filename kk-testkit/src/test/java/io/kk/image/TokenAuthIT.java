package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.api.ImageExport;
import io.kk.api.ImagePush;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.copy.ImageEndpoint.InRegistry;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.registry.TokenServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer-token auth against a real registry (distribution 2.8, {@code auth: token}) whose tokens
 * come from an in-process token server that honours per-repository scopes.
 */
class TokenAuthIT {
    static final String PASSWORD = "T0ken-Pass!";
    static TokenServer tokens;
    static RegistryServer registry;

    @TempDir
    static Path tmp;

    @TempDir
    Path work;

    static OciLayout layout;
    static TestImages.Built image;

    @BeforeAll
    static void start() {
        tokens = TokenServer.start(tmp.resolve("token"))
                .user("kk", PASSWORD)
                .grant("kk", "*", "pull", "push")
                .user("reader", PASSWORD)
                .grant("reader", "tok/app", "pull")
                .user("lonely", PASSWORD)
                .grant("lonely", "tok/lonely", "pull", "push");
        registry = RegistryServer.start(RegistryServer.Settings.plain().withToken(tokens));
        layout = OciLayout.create(tmp.resolve("layout"));
        image = TestImages.build(layout, TestImages.Spec.small("tok/app:v1", 31));
        ImagePush.push(layout.dir(), RegistryTarget.of(registry.host()), as("kk", PASSWORD), EventSink.NONE);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private static RegistryAuth auth(String user, String password) {
        return new RegistryAuth(user, password, false, true, null);
    }

    private static ImageCopier.Options as(String user, String password) {
        return new ImageCopier.Options(
                4,
                2,
                List.of(),
                RegistryCredentials.of(Map.of(registry.host(), auth(user, password))),
                new RegistryClient.Options(2, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void pushAndPullThroughTokens() {
        // the push in start() went through tokens: the registry has the index by tag
        RegistryClient c = new RegistryClient(registry.host(), auth("kk", PASSWORD));
        assertThat(c.headManifest("tok/app", "v1").orElseThrow().digest())
                .isEqualTo(image.index().digest());
        assertThat(tokens.issued())
                .anyMatch(i -> i.user().equals("kk") && i.granted().contains("repository:tok/app:pull,push"));

        CopySummary pulled = ImageExport.export(
                List.of(registry.host() + "/tok/app:v1"), work.resolve("out"), as("reader", PASSWORD), EventSink.NONE);
        assertThat(pulled.images().get(0).digest()).isEqualTo(image.index().digest());
        OciLayout out = OciLayout.open(work.resolve("out"));
        for (String blob : image.blobs()) {
            assertThat(out.verifyBlob(blob)).as(blob).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenServiceAndNeverShown() {
        String secret = "wrong-Token-Secret-7";
        assertThatThrownBy(() -> ImageExport.export(
                        List.of(registry.host() + "/tok/app:v1"),
                        work.resolve("out"),
                        as("kk", secret),
                        EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("token service")
                .hasMessageContaining("401")
                .satisfies(e -> {
                    KkException k = (KkException) e;
                    assertThat(k.getMessage()).doesNotContain(secret);
                    assertThat(k.hint()).contains("username and password").doesNotContain(secret);
                    for (Throwable c = k.getCause(); c != null; c = c.getCause()) {
                        assertThat(String.valueOf(c.getMessage())).doesNotContain(secret);
                    }
                });
        assertThat(tokens.refused()).contains("kk");
    }

    @Test
    void aPushWithoutThePushScopeIsRefusedClearly() {
        // reader may pull tok/app but not push to it: a new tag with new blobs
        OciLayout other = OciLayout.create(work.resolve("other"));
        TestImages.build(other, TestImages.Spec.small("tok/app:v2", 32));
        assertThatThrownBy(() -> ImagePush.push(
                        other.dir(), RegistryTarget.of(registry.host()), as("reader", PASSWORD), EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("tok/app")
                .hasMessageContaining("401")
                .satisfies(e -> assertThat(((KkException) e).hint()).contains("push"));
        assertThat(tokens.issued())
                .anyMatch(i -> i.user().equals("reader")
                        && i.requested().contains("repository:tok/app:pull,push")
                        && i.granted().contains("repository:tok/app:pull"));
    }

    @Test
    void aMountNeedsThePullScopeOnTheSourceRepository() {
        String blob = image.blobs().get(0);
        // lonely may push to tok/lonely but not read tok/app: the registry refuses the mount
        RegistryClient lonely = new RegistryClient(registry.host(), auth("lonely", PASSWORD));
        assertThat(lonely.mountBlob("tok/lonely", blob, "tok/app")).isFalse();
        assertThat(lonely.hasBlob("tok/lonely", blob)).isFalse();
        assertThat(tokens.issued())
                .anyMatch(i -> i.user().equals("lonely")
                        && i.requested().contains("repository:tok/app:pull")
                        && i.granted().stream().noneMatch(g -> g.startsWith("repository:tok/app:")));

        // kk may read both: the mount works and moves no bytes
        RegistryClient kk = new RegistryClient(registry.host(), auth("kk", PASSWORD));
        assertThat(kk.mountBlob("tok/mounted", blob, "tok/app")).isTrue();
        assertThat(kk.hasBlob("tok/mounted", blob)).isTrue();
    }

    @Test
    void aCopyWithinTheRegistryMountsEveryBlobUnderTokens() {
        ImageCopier copier = new ImageCopier(as("kk", PASSWORD));
        CopySummary s = copier.copy(
                List.of(new ImageCopier.Request(
                        new InRegistry(ImageReference.parse(registry.host() + "/tok/app:v1")),
                        new InRegistry(ImageReference.parse(registry.host() + "/tok/copy:v1")))),
                EventSink.NONE);
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        assertThat(s.blobsMounted()).isEqualTo(image.blobs().size());
        assertThat(s.bytesTransferred()).isZero();
        assertThat(tokens.issued())
                .anyMatch(i -> i.requested().contains("repository:tok/app:pull")
                        && i.granted().contains("repository:tok/copy:pull,push"));
    }
}
