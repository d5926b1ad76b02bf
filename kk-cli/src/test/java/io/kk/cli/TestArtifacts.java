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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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

    /**
     * What an export reads: a test upstream (release files under {@code <dir>/upstream}, served as a
     * download mirror) and a plain-HTTP source registry. Build test images into {@link #built()}, then
     * {@link #push()} them. Closing stops both.
     */
    record Sources(TestUpstream upstream, RegistryServer registry, OciLayout built) implements AutoCloseable {
        static Sources start(Path dir) {
            TestUpstream upstream = TestUpstream.start(dir.resolve("upstream"));
            try {
                return new Sources(upstream, RegistryServer.plain(), OciLayout.create(dir.resolve("built")));
            } catch (RuntimeException e) {
                upstream.close();
                throw e;
            }
        }

        /** Pushes every image built so far to the source registry. */
        void push() {
            TestArtifacts.push(built, registry);
        }

        /** {@link TestArtifacts#manifest} of this upstream's versions and {@code images} from this registry. */
        Path manifest(Path dir, Path iso, String etcdVersion, boolean registryChecksum, List<String> images)
                throws IOException {
            return TestArtifacts.manifest(dir, upstream, iso, etcdVersion, registryChecksum, registry.host(), images);
        }

        /** {@code kk artifact export -m MANIFEST -o OUT --download-mirror <this upstream> EXTRA...}. */
        KkRun export(Path manifest, Path out, String... extra) {
            return TestArtifacts.export(manifest, out, upstream.mirrorUrl(), extra);
        }

        @Override
        public void close() {
            try {
                registry.close();
            } finally {
                upstream.close();
            }
        }
    }

    /** The arguments of {@code kk artifact export -m MANIFEST -o OUT --download-mirror MIRROR EXTRA...}. */
    static String[] exportArgs(Path manifest, Path out, String mirrorUrl, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "artifact", "export", "-m", manifest.toString(), "-o", out.toString(), "--download-mirror", mirrorUrl));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** {@code kk artifact export} (see {@link #exportArgs}) in this JVM. */
    static KkRun export(Path manifest, Path out, String mirrorUrl, String... extra) {
        return KkRun.of(exportArgs(manifest, out, mirrorUrl, extra));
    }

    /**
     * {@code kk artifact export} (see {@link #exportArgs}) as its own JVM (so that a test can kill it),
     * with a fixed creation time, its output and errors to {@code log}.
     */
    static Process exportProcess(Path manifest, Path out, String mirrorUrl, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.kk.cli.Main"));
        command.addAll(List.of(exportArgs(manifest, out, mirrorUrl)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SOURCE_DATE_EPOCH", "1700000000");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    /** A file's sha256, hex. */
    static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        try (Sources sources = Sources.start(dir)) {
            String digest = TestImages.busybox(sources.built(), image).digest();
            sources.push();
            Path m = sources.manifest(
                    dir,
                    DebRepoIso.of(ISO_PACKAGES),
                    TestUpstream.ETCD,
                    true,
                    List.of(sources.registry().host() + "/" + image));
            Path out = dir.resolve("artifact.tar.zst");
            KkRun export = sources.export(m, out);
            assertThat(export.exit()).as(export.err()).isZero();
            return new Exported(out, image, digest);
        }
    }

    /**
     * Writes TestUpstream's release files under {@code upstreamDir} (no server: these tests need the
     * binaries, not a mirror) and {@link #place}s each file name's file under its kk directory.
     */
    static void placeReleaseFiles(Path upstreamDir, Path artifactDir, Map<String, String> kkDirByFile)
            throws IOException {
        TestUpstream.writeFiles(upstreamDir);
        for (Map.Entry<String, String> e : kkDirByFile.entrySet()) {
            place(upstreamDir, artifactDir, e.getKey(), e.getValue());
        }
    }

    /**
     * {@code <dir>/artifact}: an artifact directory holding only TestUpstream's etcd release tarball
     * at KubeKey's path (release files built under {@code <dir>/upstream}).
     */
    static Path etcdOnly(Path dir) throws IOException {
        Path artifactDir = dir.resolve("artifact");
        placeReleaseFiles(
                dir.resolve("upstream"),
                artifactDir,
                Map.of("etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz", "etcd/" + TestUpstream.ETCD));
        return artifactDir;
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
