package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.api.ImagePush;
import io.kk.event.EventSink;
import io.kk.image.RegistryTarget;
import io.kk.image.copy.ImageCopier;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryCredentials;
import io.kk.testkit.iso.DebRepoIso;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.upstream.TestUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Artifacts as {@code kk artifact export} makes them from the test upstream (Debian's binaries as
 * release tarballs), a plain-HTTP source registry holding test images, and an offline Debian
 * repository ISO: what the export and the delivery ITs share.
 */
final class TestArtifacts {
    /** The OS packages kk installs on Debian, with their dependencies, as the artifact's ISO. */
    static final List<String> ISO_PACKAGES = List.of("socat", "conntrack", "ebtables", "ipset", "ipvsadm", "chrony");

    private TestArtifacts() {}

    /**
     * A Manifest of TestUpstream's versions (etcd at {@code etcdVersion}), {@code images} from the
     * plain-HTTP registry {@code sourceRegistry}, and the ISO; with {@code registryChecksum} the
     * registry tarball's digest is in {@code spec.checksums} (its releases publish none).
     */
    static Path manifest(
            Path dir,
            TestUpstream upstream,
            Path iso,
            String etcdVersion,
            boolean registryChecksum,
            String sourceRegistry,
            List<String> images)
            throws IOException {
        String checksums = registryChecksum
                ? "  checksums:\n    " + TestUpstream.registryFile() + ": \"sha256:"
                        + upstream.sha256(TestUpstream.registryFile()) + "\"\n"
                : "";
        StringBuilder imageList = new StringBuilder();
        images.forEach(i -> imageList.append("  - ").append(i).append('\n'));
        String text = "apiVersion: kubekey.kubesphere.io/v1alpha2\n"
                + "kind: Manifest\n"
                + "metadata:\n  name: it\n"
                + "spec:\n"
                + "  arches: [amd64]\n"
                + "  operatingSystems:\n"
                + "  - arch: amd64\n    type: linux\n    id: debian\n    version: \"12\"\n    osImage: Debian 12\n"
                + "    repository:\n      iso:\n        localPath: " + iso + "\n        url: \"\"\n"
                + "  kubernetesDistributions: []\n"
                + "  components:\n"
                + "    cni: {version: " + TestUpstream.CNI + "}\n"
                + "    etcd: {version: " + etcdVersion + "}\n"
                + "    containerRuntimes:\n    - {type: containerd, version: " + TestUpstream.CONTAINERD + "}\n"
                + "    runc: {version: " + TestUpstream.RUNC + "}\n"
                + "    docker-registry: {version: \"" + TestUpstream.REGISTRY + "\"}\n"
                + "  images:\n"
                + imageList
                + "  registry:\n    auths:\n      \"" + sourceRegistry + "\": {plainHTTP: true}\n"
                + checksums;
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("manifest.yaml"), text);
    }

    /** Pushes a layout's images to a plain-HTTP test registry with kk's copier. */
    static void push(OciLayout layout, RegistryServer registry) {
        ImagePush.push(
                layout.dir(),
                RegistryTarget.of(registry.host()),
                ImageCopier.Options.defaults(RegistryCredentials.of(
                        Map.of(registry.host(), new RegistryAuth(null, null, false, true, null)))),
                EventSink.NONE);
    }

    /**
     * An exported artifact file.
     *
     * @param image the image's path in any registry, e.g. {@code library/busybox:1.35}
     * @param indexDigest the digest of its index, as built and as the source registry serves it
     */
    record Exported(Path file, String image, String indexDigest) {}

    /**
     * {@code kk artifact export} of every binary the delivery phases need, the OS ISO and one
     * runnable busybox image, from an upstream and a source registry that live only for the export.
     */
    static Exported withBusybox(Path dir) throws IOException {
        String image = "library/busybox:1.35";
        try (TestUpstream upstream = TestUpstream.start(dir.resolve("upstream"));
                RegistryServer source = RegistryServer.plain()) {
            OciLayout built = OciLayout.create(dir.resolve("built"));
            String digest = TestImages.busybox(built, image).digest();
            push(built, source);
            Path m = manifest(
                    dir,
                    upstream,
                    DebRepoIso.of(ISO_PACKAGES),
                    TestUpstream.ETCD,
                    true,
                    source.host(),
                    List.of(source.host() + "/" + image));
            Path out = dir.resolve("artifact.tar.zst");
            KkRun export = KkRun.of(
                    "artifact",
                    "export",
                    "-m",
                    m.toString(),
                    "-o",
                    out.toString(),
                    "--download-mirror",
                    upstream.mirrorUrl());
            assertThat(export.exit()).as(export.err()).isZero();
            return new Exported(out, image, digest);
        }
    }

    /** Copies {@code fileName} (found anywhere under the upstream dir) to {@code <kkDir>/amd64/} in the artifact dir. */
    static void place(Path upstream, Path artifactDir, String fileName, String kkDir) throws IOException {
        Path src;
        try (var files = Files.walk(upstream)) {
            src = files.filter(f -> f.getFileName().toString().equals(fileName))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(fileName + " is not under " + upstream));
        }
        Path target = artifactDir.resolve(kkDir + "/amd64/" + fileName);
        Files.createDirectories(target.getParent());
        Files.copy(src, target);
    }
}
