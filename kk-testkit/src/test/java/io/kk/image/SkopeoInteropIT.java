package io.kk.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.ImageExport;
import io.kk.api.ImagePush;
import io.kk.event.EventSink;
import io.kk.image.Manifests.Manifest;
import io.kk.image.copy.CopySummary;
import io.kk.image.copy.ImageCopier;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo 1.9 (Debian) writes layouts kk reads, and reads the OCI-typed entries kk writes. */
class SkopeoInteropIT {
    static RegistryServer source;
    static RegistryServer target;
    static TestImages.Built image;

    @TempDir
    static Path tmp;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        source = RegistryServer.plain();
        target = RegistryServer.plain();
        OciLayout built = OciLayout.create(tmp.resolve("built"));
        image = TestImages.build(built, TestImages.Spec.small("interop/app:v1", 11));
        ImagePush.push(built.dir(), RegistryTarget.of(source.host()), options(), EventSink.NONE);
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

    static ImageCopier.Options options() {
        RegistryAuth plain = new RegistryAuth(null, null, false, true, null);
        return ImageCopier.Options.defaults(RegistryCredentials.of(Map.of(source.host(), plain, target.host(), plain)));
    }

    static RegistryClient targetClient() {
        return new RegistryClient(target.host(), new RegistryAuth(null, null, false, true, null));
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    @Test
    void kkPushesALayoutSkopeoWrote() throws Exception {
        Path dir = work.resolve("skopeo");
        String name = source.host() + "/interop/app:v1";
        run("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", "docker://" + name, "oci:" + dir + ":" + name);
        CopySummary s = ImagePush.push(dir, RegistryTarget.of(target.host()), options(), EventSink.NONE);
        // the test image has OCI types, so skopeo kept its bytes, and kk keeps them too
        assertThat(s.images().get(0).digest()).isEqualTo(image.index().digest());
        assertThat(targetClient()
                        .headManifest("interop/app", "v1")
                        .orElseThrow()
                        .digest())
                .isEqualTo(image.index().digest());
    }

    @Test
    void skopeoReadsTheOciEntriesKkWrote() throws Exception {
        Path dir = work.resolve("kk");
        String name = source.host() + "/interop/app:v1";
        ImageExport.export(List.of(name), dir, options(), EventSink.NONE);
        String raw = run("skopeo", "inspect", "--raw", "oci:" + dir + ":" + name);
        assertThat(Digests.sha256(raw.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(image.index().digest());
        String inspect = run("skopeo", "inspect", "--override-arch", "arm64", "oci:" + dir + ":" + name);
        assertThat(inspect).contains("\"Architecture\": \"arm64\"");
        // and skopeo can push it on by itself with digests preserved
        run(
                "skopeo",
                "copy",
                "-q",
                "--all",
                "--preserve-digests",
                "--dest-tls-verify=false",
                "oci:" + dir + ":" + name,
                "docker://" + target.host() + "/interop/byskopeo:v1");
        assertThat(targetClient()
                        .headManifest("interop/byskopeo", "v1")
                        .orElseThrow()
                        .digest())
                .isEqualTo(image.index().digest());
    }

    @Test
    void kubeKeyV2SingleArchEntriesArePushedWithAManifestList() throws Exception {
        Path dir = work.resolve("kubekey");
        String name = source.host() + "/interop/app:v1";
        // what KubeKey v3.1 export writes: one single-arch entry per arch, named <image>-<arch>
        for (String arch : List.of("amd64", "arm64")) {
            run(
                    "skopeo",
                    "copy",
                    "-q",
                    "--override-os",
                    "linux",
                    "--override-arch",
                    arch,
                    "--src-tls-verify=false",
                    "docker://" + name,
                    "oci:" + dir + ":" + name + "-" + arch);
        }
        // and the older v3.0 form ns:repo:tag-arch
        run(
                "skopeo",
                "copy",
                "-q",
                "--override-os",
                "linux",
                "--override-arch",
                "amd64",
                "--src-tls-verify=false",
                "docker://" + name,
                "oci:" + dir + ":legacy:tool:v3-amd64");

        RegistryTarget t = RegistryTarget.of(target.host()).withNamespaceOverride("kubesphereio");
        CopySummary s = ImagePush.push(dir, t, options(), EventSink.NONE);
        RegistryClient c = targetClient();
        assertThat(c.headManifest("kubesphereio/app", "v1-amd64").orElseThrow().digest())
                .isEqualTo(image.manifestByArch().get("amd64"));
        assertThat(c.headManifest("kubesphereio/app", "v1-arm64").orElseThrow().digest())
                .isEqualTo(image.manifestByArch().get("arm64"));
        Manifest list = c.getManifest("kubesphereio/app", "v1");
        assertThat(list.isIndex()).isTrue();
        List<String> children = new ArrayList<>();
        list.children().forEach(d -> children.add(d.platform().architecture() + "=" + d.digest()));
        assertThat(children)
                .containsExactlyInAnyOrder(
                        "amd64=" + image.manifestByArch().get("amd64"),
                        "arm64=" + image.manifestByArch().get("arm64"));
        assertThat(c.headManifest("kubesphereio/tool", "v3").orElseThrow().digest())
                .isNotNull();
        assertThat(c.headManifest("kubesphereio/tool", "v3-amd64").orElseThrow().digest())
                .isEqualTo(image.manifestByArch().get("amd64"));
        assertThat(s.images())
                .extracting(CopySummary.CopiedImage::destination)
                .contains(target.host() + "/kubesphereio/app:v1", target.host() + "/kubesphereio/tool:v3");
    }
}
