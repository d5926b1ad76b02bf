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
import io.kk.testkit.registry.FaultProxy;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults injected by an in-process proxy in front of a real registry. */
class FaultInjectionIT {
    static RegistryServer registry;
    static TestImages.Built image;

    @TempDir
    static Path tmp;

    @TempDir
    Path work;

    FaultProxy proxy;

    @BeforeAll
    static void start() {
        registry = RegistryServer.plain();
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        image = TestImages.build(
                built,
                new TestImages.Spec(
                        "fault/app:v1", List.of("amd64", "arm64"), 16 * 1024, new int[] {300 * 1024}, false, 21));
        ImagePush.push(
                built.dir(),
                RegistryTarget.of(registry.host()),
                ImageCopier.Options.defaults(RegistryCredentials.of(
                        Map.of(registry.host(), new RegistryAuth(null, null, false, true, null)))),
                EventSink.NONE);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void proxy() {
        proxy = FaultProxy.to(registry.host());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    private ImageCopier.Options viaProxy() {
        return new ImageCopier.Options(
                4,
                2,
                List.of(),
                RegistryCredentials.of(Map.of(proxy.host(), new RegistryAuth(null, null, false, true, null))),
                new RegistryClient.Options(6, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }

    private String bigLayer() {
        // the largest blob of the amd64 manifest: the 300 KiB layer
        OciLayout built = OciLayout.open(tmp.resolve("built"));
        return built
                .readManifest(io.kk.image.Descriptor.of(
                        MediaTypes.OCI_MANIFEST, image.manifestByArch().get("amd64"), -1))
                .blobs()
                .stream()
                .max(java.util.Comparator.comparingLong(io.kk.image.Descriptor::size))
                .orElseThrow()
                .digest();
    }

    @Test
    void aBlobCutMidStreamResumesWithRange() throws Exception {
        String layer = bigLayer();
        proxy.cutOnce(layer, 100 * 1024);
        CopySummary s = ImageExport.export(
                List.of(proxy.host() + "/fault/app:v1"), work.resolve("out"), viaProxy(), EventSink.NONE);
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        OciLayout out = OciLayout.open(work.resolve("out"));
        assertThat(out.verifyBlob(layer)).isTrue();
        assertThat(proxy.seen())
                .anyMatch(r -> r.path().endsWith(layer)
                        && r.range() != null
                        && r.range().startsWith("bytes=")
                        && !r.range().equals("bytes=0-"));
    }

    @Test
    void aBlobStalledMidStreamTimesOutAndResumesWithRange() {
        String layer = bigLayer();
        proxy.stallOnce(layer, 100 * 1024);
        CopySummary s = ImageExport.export(
                List.of(proxy.host() + "/fault/app:v1"), work.resolve("out"), viaProxy(), EventSink.NONE);
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        assertThat(OciLayout.open(work.resolve("out")).verifyBlob(layer)).isTrue();
        assertThat(layerGets(layer)).hasSize(2);
        assertThat(layerGets(layer).get(1).range()).startsWith("bytes=").isNotEqualTo("bytes=0-");
    }

    @Test
    void aRegistryToRegistryCopyResumesACutAndAStalledBlob() {
        String layer = bigLayer();
        String config = smallestBlob();
        proxy.cutOnce(layer, 100 * 1024);
        proxy.stallOnce(config, 10);
        try (RegistryServer dest = RegistryServer.plain()) {
            ImageCopier.Options o = viaProxy();
            ImageCopier copier = new ImageCopier(new ImageCopier.Options(
                    o.parallelBlobs(),
                    o.parallelImages(),
                    o.platforms(),
                    RegistryCredentials.of(Map.of(
                            proxy.host(), new RegistryAuth(null, null, false, true, null),
                            dest.host(), new RegistryAuth(null, null, false, true, null))),
                    o.client()));
            CopySummary s = copier.copy(
                    List.of(new ImageCopier.Request(
                            new InRegistry(ImageReference.parse(proxy.host() + "/fault/app:v1")),
                            new InRegistry(ImageReference.parse(dest.host() + "/fault/copy:v1")))),
                    EventSink.NONE);
            assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
            RegistryClient d = new RegistryClient(dest.host(), new RegistryAuth(null, null, false, true, null));
            assertThat(d.headManifest("fault/copy", "v1").orElseThrow().digest())
                    .isEqualTo(image.index().digest());
            assertThat(d.hasBlob("fault/copy", layer)).isTrue();
            // one upload each: the source was resumed under the running upload, never restarted
            for (String blob : List.of(layer, config)) {
                assertThat(layerGets(blob)).as(blob).hasSize(2);
                assertThat(layerGets(blob).get(0).range()).isNull();
                assertThat(layerGets(blob).get(1).range()).startsWith("bytes=").isNotEqualTo("bytes=0-");
            }
        }
    }

    private List<FaultProxy.Seen> layerGets(String digest) {
        return proxy.seen().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith(digest))
                .toList();
    }

    private String smallestBlob() {
        OciLayout built = OciLayout.open(tmp.resolve("built"));
        return built
                .readManifest(io.kk.image.Descriptor.of(
                        MediaTypes.OCI_MANIFEST, image.manifestByArch().get("amd64"), -1))
                .blobs()
                .stream()
                .filter(b -> b.size() > 20)
                .min(java.util.Comparator.comparingLong(io.kk.image.Descriptor::size))
                .orElseThrow()
                .digest();
    }

    @Test
    void aCorruptedBlobIsRefusedAndNotKept() {
        String layer = bigLayer();
        proxy.corrupt(layer);
        assertThatThrownBy(() -> ImageExport.export(
                        List.of(proxy.host() + "/fault/app:v1"), work.resolve("out"), viaProxy(), EventSink.NONE))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(layer)
                .hasMessageContaining("refused");
        OciLayout out = OciLayout.open(work.resolve("out"));
        assertThat(out.hasBlob(layer)).isFalse();
        assertThat(Files.exists(out.partPath(layer))).isFalse();
        assertThat(out.entries()).isEmpty();
    }

    @Test
    void a503StormIsRetried() {
        proxy.storm("/manifests/", 4);
        CopySummary s = ImageExport.export(
                List.of(proxy.host() + "/fault/app:v1"), work.resolve("out"), viaProxy(), EventSink.NONE);
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        assertThat(proxy.seen().stream()
                        .filter(r -> r.path().contains("/manifests/"))
                        .count())
                .isGreaterThanOrEqualTo(7);
    }
}
