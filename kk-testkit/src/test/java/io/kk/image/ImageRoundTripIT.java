package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.api.ImageExport;
import io.kk.api.ImagePush;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Progress;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.copy.ImageEndpoint.InRegistry;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.registry.TestImages.Built;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-arch images through real registries: layout -> registry -> layout -> registry, digests kept. */
class ImageRoundTripIT {
    static RegistryServer source;
    static RegistryServer target;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        source = RegistryServer.plain();
        target = RegistryServer.plain();
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    private static ImageCopier.Options options() {
        return ImageCopier.Options.defaults(RegistryCredentials.of(Map.of(
                source.host(), new RegistryAuth(null, null, false, true, null),
                target.host(), new RegistryAuth(null, null, false, true, null))));
    }

    @Test
    void indexesAndChildrenKeepTheirDigestsEverywhere() {
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        Built oci = TestImages.build(built, TestImages.Spec.small("test/app:v1", 1));
        Built docker =
                TestImages.build(built, TestImages.Spec.small("test/tool:v2", 2).docker());

        CopySummary seeded = ImagePush.push(built.dir(), RegistryTarget.of(source.host()), options(), EventSink.NONE);
        assertThat(seeded.images())
                .extracting(CopySummary.CopiedImage::destination)
                .containsExactlyInAnyOrder(source.host() + "/test/app:v1", source.host() + "/test/tool:v2");
        // the shared base layer of each arch is uploaded once and mounted into the other repository
        assertThat(seeded.blobsMounted()).isEqualTo(2);

        List<Progress> progress = new CopyOnWriteArrayList<>();
        CopySummary exported = ImageExport.export(
                List.of(source.host() + "/test/app:v1", source.host() + "/test/tool:v2"),
                tmp.resolve("artifact/images"),
                options(),
                e -> {
                    if (e instanceof Progress p) {
                        progress.add(p);
                    }
                });
        assertThat(exported.images())
                .extracting(CopySummary.CopiedImage::digest)
                .containsExactly(oci.index().digest(), docker.index().digest());
        assertThat(progress.get(progress.size() - 1).finished()).isTrue();
        assertThat(progress.get(progress.size() - 1).done())
                .isEqualTo(progress.get(progress.size() - 1).total());

        OciLayout artifact = OciLayout.open(tmp.resolve("artifact"));
        assertThat(artifact.entry(source.host() + "/test/tool:v2").descriptor().mediaType())
                .isEqualTo(MediaTypes.DOCKER_LIST);

        RegistryTarget rewrite = RegistryTarget.of(target.host()).withNamespaceOverride("kubesphereio");
        CopySummary pushed = ImagePush.push(tmp.resolve("artifact"), rewrite, options(), EventSink.NONE);
        assertThat(pushed.blobsTransferred()).isGreaterThan(0);
        RegistryClient t = new RegistryClient(target.host(), new RegistryAuth(null, null, false, true, null));
        assertThat(t.headManifest("kubesphereio/app", "v1").orElseThrow().digest())
                .isEqualTo(oci.index().digest());
        assertThat(t.headManifest("kubesphereio/tool", "v2").orElseThrow().digest())
                .isEqualTo(docker.index().digest());
        for (String child : docker.manifestByArch().values()) {
            assertThat(t.headManifest("kubesphereio/tool", child)).isPresent();
        }
        assertThat(t.getManifest("kubesphereio/tool", "v2").mediaType()).isEqualTo(MediaTypes.DOCKER_LIST);

        // everything is there now: a second push moves no bytes
        CopySummary again = ImagePush.push(tmp.resolve("artifact"), rewrite, options(), EventSink.NONE);
        assertThat(again.bytesTransferred()).isZero();
        assertThat(again.images()).allMatch(CopySummary.CopiedImage::unchanged);
    }

    @Test
    void anImageTheSourceDoesNotHaveFailsTheExportNamingOnlyThatImage() {
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        TestImages.build(built, TestImages.Spec.small("fail/ok:v1", 4));
        ImagePush.push(built.dir(), RegistryTarget.of(source.host()), options(), EventSink.NONE);

        // images are planned and copied independently now: the missing one must still fail the
        // run, be the one error named (not "2 images failed" for blobs it stopped), and leave no
        // tag for it in the layout
        assertThatThrownBy(() -> ImageExport.export(
                        List.of(source.host() + "/fail/ok:v1", source.host() + "/fail/missing:v1"),
                        tmp.resolve("out"),
                        options(),
                        EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("fail/missing")
                .hasMessageNotContaining("images failed");
        if (Files.exists(tmp.resolve("out/index.json"))) {
            assertThat(OciLayout.open(tmp.resolve("out")).entries())
                    .noneMatch(e -> e.refName().contains("fail/missing"));
        }
    }

    @Test
    void aPlatformSubsetKeepsChildDigestsAndDocumentsTheNewIndex() {
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        Built img = TestImages.build(built, TestImages.Spec.small("sub/app:v1", 3));
        ImagePush.push(built.dir(), RegistryTarget.of(source.host()), options(), EventSink.NONE);

        ImageCopier.Options arm = options().withPlatforms(List.of(Platform.parse("arm64")));
        CopySummary s =
                ImageExport.export(List.of(source.host() + "/sub/app:v1"), tmp.resolve("arm"), arm, EventSink.NONE);
        CopySummary.CopiedImage only = s.images().get(0);
        assertThat(only.childDigests()).containsExactly(img.manifestByArch().get("arm64"));
        assertThat(only.digest()).isNotEqualTo(img.index().digest());
        OciLayout armLayout = OciLayout.open(tmp.resolve("arm"));
        assertThat(armLayout.hasBlob(img.manifestByArch().get("amd64"))).isFalse();
    }

    @Test
    void registryToRegistryStreamsAndMountsWithinOneRegistry() {
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        Built img = TestImages.build(built, TestImages.Spec.small("r2r/app:v1", 4));
        ImagePush.push(built.dir(), RegistryTarget.of(source.host()), options(), EventSink.NONE);

        ImageCopier copier = new ImageCopier(options());
        CopySummary across = copier.copy(
                List.of(new ImageCopier.Request(
                        new InRegistry(ImageReference.parse(source.host() + "/r2r/app:v1")),
                        new InRegistry(ImageReference.parse(target.host() + "/r2r/copy:v1")))),
                EventSink.NONE);
        assertThat(across.images().get(0).digest()).isEqualTo(img.index().digest());
        assertThat(across.bytesTransferred()).isGreaterThan(0);

        CopySummary within = copier.copy(
                List.of(new ImageCopier.Request(
                        new InRegistry(ImageReference.parse(target.host() + "/r2r/copy:v1")),
                        new InRegistry(ImageReference.parse(target.host() + "/r2r/mounted:v1")))),
                EventSink.NONE);
        assertThat(within.bytesTransferred()).isZero();
        assertThat(within.blobsMounted()).isEqualTo(img.blobs().size());
    }
}
