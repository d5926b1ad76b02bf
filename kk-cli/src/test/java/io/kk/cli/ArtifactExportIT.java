package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kk.artifact.ArtifactPaths;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.Manifests;
import io.kk.image.MediaTypes;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.BlobTransport;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.testkit.iso.DebRepoIso;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.upstream.TestUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kk artifact export} against real parts: a test upstream (Debian's etcd, containerd, runc,
 * CNI and registry binaries as release tarballs with their checksum files), a real docker-registry
 * holding multi-arch test images, and an offline Debian repository ISO.
 */
class ArtifactExportIT {
    @TempDir
    static Path shared;

    static TestArtifacts.Sources sources;
    static TestUpstream upstream;
    static RegistryServer registry;
    static TestImages.Built app;
    static TestImages.Built tool;
    static Path iso;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        sources = TestArtifacts.Sources.start(shared);
        upstream = sources.upstream();
        registry = sources.registry();
        app = TestImages.build(sources.built(), TestImages.Spec.small("test/app:v1", 1));
        tool = TestImages.build(
                sources.built(),
                new TestImages.Spec(
                                "test/big:v2",
                                List.of("amd64", "arm64"),
                                1 << 20,
                                new int[] {24 << 20, 24 << 20},
                                false,
                                7)
                        .docker());
        sources.push();
        iso = DebRepoIso.of(TestArtifacts.ISO_PACKAGES);
    }

    @AfterAll
    static void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    /** A Manifest of TestUpstream's versions, the two images and the ISO. */
    private Path manifest(Path dir, String etcdVersion, boolean registryChecksum) throws IOException {
        return sources.manifest(
                dir,
                iso,
                etcdVersion,
                registryChecksum,
                List.of(registry.host() + "/test/app:v1", registry.host() + "/test/big:v2"));
    }

    @Test
    void exportVerifyImportRoundTrip() throws Exception {
        Path m = manifest(tmp, TestUpstream.ETCD, true);
        Path out = tmp.resolve("a.tar.zst");

        KkRun dry = sources.export(m, out, "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run", "etcd/" + TestUpstream.ETCD + "/amd64/", "FETCH", "LOCAL");
        assertThat(out).doesNotExist();

        KkRun export = sources.export(m, out);
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported " + out, "5 binaries, 1 ISOs, 0 charts, 2 images");
        assertThat(export.err()).doesNotContain("ExportSummary[");
        // the local ISO has no checksum: kk hashes it and says that nothing upstream vouched for it
        assertThat(export.err()).contains(iso.toString(), "not verified against a published checksum");

        KkRun verify = KkRun.of("artifact", "verify", "-a", out.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("OK ");

        Path dir = tmp.resolve("imported");
        KkRun imported = KkRun.of("artifact", "import", "-a", out.toString(), "--dir", dir.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();

        String etcd = "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz";
        assertThat(TestArtifacts.sha256(dir.resolve("etcd/" + TestUpstream.ETCD + "/amd64/" + etcd)))
                .isEqualTo(upstream.sha256(etcd));
        String reg = TestUpstream.registryFile();
        assertThat(TestArtifacts.sha256(dir.resolve("registry/registry/" + TestUpstream.REGISTRY + "/amd64/" + reg)))
                .isEqualTo(upstream.sha256(reg));
        assertThat(dir.resolve("runc/" + TestUpstream.RUNC + "/amd64/runc.amd64"))
                .isRegularFile();
        assertThat(TestArtifacts.sha256(dir.resolve(ArtifactPaths.repositoryIso("amd64", "debian", "12"))))
                .isEqualTo(TestArtifacts.sha256(iso));

        // images: one layout, entries named by full reference, the single-arch child digests kept
        OciLayout layout = OciLayout.open(dir.resolve("images"));
        assertThat(layout.entries())
                .extracting(OciLayout.Entry::refName)
                .containsExactly(registry.host() + "/test/app:v1", registry.host() + "/test/big:v2");
        assertThat(layout.entries()).allMatch(OciLayout.Entry::writtenByKk);
        var appIndex = layout.readManifest(
                layout.entry(registry.host() + "/test/app:v1").descriptor());
        assertThat(appIndex.children())
                .extracting(d -> d.digest())
                .containsExactly(app.manifestByArch().get("amd64"));
        var child = layout.readManifest(appIndex.children().get(0));
        assertThat(child.blobs()).allMatch(b -> layout.verifyBlob(b.digest()));
        assertThat(layout.hasBlob(tool.manifestByArch().get("amd64"))).isTrue();
        assertThat(layout.hasBlob(tool.manifestByArch().get("arm64"))).isFalse();

        KkRun inspect = KkRun.of("artifact", "inspect", "-a", out.toString());
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("test/app:v1", "linux/amd64");

        // the same export again: nothing is fetched
        int before = upstream.requests().size();
        KkRun again = sources.export(m, out);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(upstream.requests().subList(before, upstream.requests().size()))
                .noneMatch(r -> r.startsWith("GET") && r.endsWith(".tar.gz"));
    }

    @Test
    void aFlippedByteOnTheMirrorIsRefusedAndNothingOfItKept() throws Exception {
        try (TestUpstream bad = TestUpstream.start(tmp.resolve("bad-upstream"))) {
            String containerd = "containerd-" + TestUpstream.CONTAINERD + "-linux-amd64.tar.gz";
            bad.corrupt(containerd);
            Path m = manifest(tmp, TestUpstream.ETCD, true);
            Path out = Files.createDirectories(tmp.resolve("out")).resolve("bad.tar.zst");
            KkRun r = TestArtifacts.export(m, out, bad.mirrorUrl());
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains(containerd).contains(bad.sha256(containerd));
            try (Stream<Path> files = Files.walk(out.getParent())) {
                assertThat(files.filter(Files::isRegularFile)
                                .map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.startsWith(bad.sha256(containerd)))
                        .noneMatch(n -> n.equals(containerd));
            }
        }
    }

    @Test
    void aVersionMissingFromCatalogAndUpstreamFailsNamingTheFileAndTheFixes() throws Exception {
        Path m = manifest(tmp, "v3.4.99", true);
        KkRun r = sources.export(m, tmp.resolve("x.tar.zst"));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        // neither the file nor its checksum file exists: the version is not published (a checksum
        // pinned in spec.checksums would not help), and the error says so
        assertThat(r.err())
                .contains(
                        "etcd v3.4.99 (amd64) is not published",
                        "etcd-v3.4.99-linux-amd64.tar.gz answered HTTP 404",
                        "check the version of etcd",
                        "the mirror maps https://github.com/coreos/etcd/releases/download/v3.4.99/");
    }

    @Test
    void theRegistryTarballWithoutSpecChecksumsFailsNamingTheThreeFixes() throws Exception {
        Path m = manifest(tmp, TestUpstream.ETCD, false);
        KkRun r = sources.export(m, tmp.resolve("x.tar.zst"));
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(TestUpstream.registryFile(), "catalog", "checksum file", "spec.checksums");
    }

    @Test
    void anUnreachableMirrorIsAnEnvironmentError() throws Exception {
        Path m = manifest(tmp, TestUpstream.ETCD, true);
        KkRun r = TestArtifacts.export(m, tmp.resolve("x.tar.zst"), "http://127.0.0.1:1");
        assertThat(r.exit()).as(r.err()).isIn(2, 3);
    }

    @Test
    void killedThreeTimesThenFinishedIsByteIdenticalToACleanExport() throws Exception {
        Path m = manifest(tmp, TestUpstream.ETCD, true);
        Path clean = tmp.resolve("clean.tar.zst");
        Process p = export(m, clean);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("log.txt"))).isZero();
        long size = Files.size(clean);

        Path resumed = tmp.resolve("resumed.tar.zst");
        Random random = new Random();
        List<Long> points = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            points.add((long) (size * (0.1 + 0.8 * random.nextDouble())));
        }
        points.sort(Long::compare);
        for (long point : points) {
            Process run = export(m, resumed);
            try {
                // the artifact grows in <out>.kkpart; <out> appears only when complete
                Path growing = io.kk.artifact.ArtifactWriter.partialFor(resumed);
                while (run.isAlive() && (!Files.exists(growing) || Files.size(growing) < point)) {
                    Thread.sleep(2);
                }
                assertThat(run.isAlive())
                        .as("the export ended before byte " + point)
                        .isTrue();
                run.destroyForcibly(); // SIGKILL
                run.waitFor(30, TimeUnit.SECONDS);
                assertThat(run.exitValue()).isEqualTo(137);
                assertThat(resumed)
                        .as("only a complete artifact is at the output's path")
                        .doesNotExist();
            } finally {
                run.destroyForcibly();
            }
        }
        Process finish = export(m, resumed);
        assertThat(finish.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(finish.exitValue())
                .as(Files.readString(tmp.resolve("log.txt")))
                .isZero();
        assertThat(Files.mismatch(clean, resumed)).as("first differing byte").isEqualTo(-1);
    }

    /** A Manifest of charts only (kk's spec.charts). */
    private Path chartManifest(Path dir, String charts) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(
                dir.resolve("charts.yaml"),
                "apiVersion: kubekey.kubesphere.io/v1alpha2\n"
                        + "kind: Manifest\n"
                        + "metadata:\n  name: charts\n"
                        + "spec:\n"
                        + "  arches: [amd64]\n"
                        + "  components: {}\n"
                        + "  images: []\n"
                        + "  charts:\n"
                        + charts);
    }

    @Test
    void chartsFromARepositoryIndexAndALocalTgzArePackedAtChartsNameVersion() throws Exception {
        Path local = TestUpstream.chartPackage(tmp.resolve("local/my-local.tgz"), "my-local", "0.3.0");
        Path m = chartManifest(
                tmp,
                "  - {name: hello, repo: \"" + TestUpstream.CHART_REPO + "\", version: 0.1.0}\n"
                        + "  - {name: web-app, repo: \"" + TestUpstream.CHART_REPO + "/\"}\n"
                        + "  - {path: local/my-local.tgz}\n");
        Path out = tmp.resolve("charts.tar.zst");
        KkRun export = sources.export(m, out);
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("3 charts");
        // no version: the newest release, said so
        assertThat(export.err()).contains("web-app", "1.2.3", "pin it");

        KkRun inspect = KkRun.of("artifact", "inspect", "-a", out.toString());
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out())
                .containsPattern("hello +0\\.1\\.0 .*charts/hello-0\\.1\\.0\\.tgz")
                .containsPattern("web-app +1\\.2\\.3 .*charts/web-app-1\\.2\\.3\\.tgz")
                .containsPattern("my-local +0\\.3\\.0 .*charts/my-local-0\\.3\\.0\\.tgz");

        KkRun verify = KkRun.of("artifact", "verify", "-a", out.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        Path dir = tmp.resolve("imported");
        KkRun imported = KkRun.of("artifact", "import", "-a", out.toString(), "--dir", dir.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(TestArtifacts.sha256(dir.resolve(ArtifactPaths.chart("hello", "0.1.0"))))
                .isEqualTo(upstream.chartSha256("hello", "0.1.0"));
        assertThat(TestArtifacts.sha256(dir.resolve(ArtifactPaths.chart("web-app", "1.2.3"))))
                .isEqualTo(upstream.chartSha256("web-app", "1.2.3"));
        assertThat(TestArtifacts.sha256(dir.resolve(ArtifactPaths.chart("my-local", "0.3.0"))))
                .isEqualTo(TestArtifacts.sha256(local));
        assertThat(dir.resolve(ArtifactPaths.chart("hello", "0.2.0"))).doesNotExist();
    }

    /** Pushes a chart package as Helm 3.8+ does: tagged with its version at {@code repo}. */
    private static void pushHelmChart(String repo, Path tgz, String name, String version) throws IOException {
        RegistryClient client = new RegistryClient(registry.host(), new RegistryAuth(null, null, true, true, null));
        byte[] config = ("{\"name\":\"" + name + "\",\"version\":\"" + version
                        + "\",\"apiVersion\":\"v2\",\"description\":\"a kk test chart\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] chart = Files.readAllBytes(tgz);
        Descriptor c = Descriptor.of("application/vnd.cncf.helm.config.v1+json", Digests.sha256(config), config.length);
        Descriptor l = Descriptor.of(
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip", Digests.sha256(chart), chart.length);
        client.uploadBlob(
                repo, c, BlobTransport.Body.ofStream(config.length, () -> new java.io.ByteArrayInputStream(config)));
        client.uploadBlob(
                repo, l, BlobTransport.Body.ofStream(chart.length, () -> new java.io.ByteArrayInputStream(chart)));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(c) + ",\"layers\":[" + descriptor(l) + "]}";
        client.putManifest(
                repo,
                version.replace('+', '_'),
                Manifests.Manifest.of(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST));
    }

    private static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    /** A Manifest of one chart in the test registry (plain HTTP, as spec.registry.auths says). */
    private Path ociChartManifest(Path dir, String version) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(
                dir.resolve("oci.yaml"),
                "apiVersion: kubekey.kubesphere.io/v1alpha2\n"
                        + "kind: Manifest\n"
                        + "metadata:\n  name: oci-charts\n"
                        + "spec:\n"
                        + "  arches: [amd64]\n"
                        + "  components: {}\n"
                        + "  images: []\n"
                        + "  registry:\n    auths:\n      \"" + registry.host() + "\": {plainHTTP: true}\n"
                        + "  charts:\n"
                        + "  - {name: oci-app, repo: \"oci://" + registry.host() + "/helm/charts/\", version: "
                        + version + "}\n");
    }

    @Test
    void aChartInAnOciRegistryIsPackedAtChartsNameVersionAndAWrongTagNamesTheChartAndItsPath() throws Exception {
        Path tgz = TestUpstream.chartPackage(tmp.resolve("oci-app-0.5.0.tgz"), "oci-app", "0.5.0");
        pushHelmChart("helm/charts/oci-app", tgz, "oci-app", "0.5.0");
        Path m = ociChartManifest(tmp.resolve("m"), "0.5.0");
        Path out = tmp.resolve("oci.tar.zst");

        KkRun dry = KkRun.of("artifact", "export", "-m", m.toString(), "-o", out.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out())
                .containsPattern("FETCH .* charts/oci-app-0\\.5\\.0\\.tgz +<- " + registry.host()
                        + "/helm/charts/oci-app@sha256:" + TestArtifacts.sha256(tgz));

        KkRun export = KkRun.of("artifact", "export", "-m", m.toString(), "-o", out.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("1 charts");
        Path dir = tmp.resolve("imported");
        KkRun imported = KkRun.of("artifact", "import", "-a", out.toString(), "--dir", dir.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(Files.mismatch(dir.resolve(ArtifactPaths.chart("oci-app", "0.5.0")), tgz))
                .isEqualTo(-1);

        KkRun wrong = KkRun.of(
                "artifact",
                "export",
                "-m",
                ociChartManifest(tmp.resolve("wrong"), "0.6.0").toString(),
                "-o",
                tmp.resolve("wrong.tar.zst").toString());
        assertThat(wrong.exit()).as(wrong.err()).isEqualTo(2);
        assertThat(wrong.err())
                .contains(
                        "chart oci-app 0.6.0",
                        "spec.charts[0]",
                        "oci://" + registry.host() + "/helm/charts/oci-app",
                        "has no tag 0.6.0",
                        "it has 0.5.0");
        assertThat(tmp.resolve("wrong.tar.zst")).doesNotExist();
    }

    @Test
    void aChartWhoseIndexGivesNoDigestIsPackedWithTheHashOfItsDownloadAndANote() throws Exception {
        Path m = chartManifest(
                tmp, "  - {name: no-digest, repo: \"" + TestUpstream.CHART_REPO + "\", version: 0.4.0}\n");
        Path out = tmp.resolve("unpinned.tar.zst");
        KkRun export = sources.export(m, out);
        assertThat(export.exit()).as(export.err()).isZero();
        String served = upstream.chartSha256("no-digest", "0.4.0");
        assertThat(export.err())
                .contains(
                        "chart no-digest 0.4.0",
                        "gives no digest",
                        "packed with the sha256 of its download, " + served,
                        "spec.checksums");
        assertThat(export.out()).contains("1 charts");
        // downloaded once, while planning: the export reads that copy
        assertThat(upstream.requests().stream().filter(r -> r.startsWith("GET ") && r.contains("/no-digest-0.4.0.tgz")))
                .hasSize(1);
        Path dir = tmp.resolve("imported");
        KkRun imported = KkRun.of("artifact", "import", "-a", out.toString(), "--dir", dir.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(Files.mismatch(
                        dir.resolve(ArtifactPaths.chart("no-digest", "0.4.0")),
                        upstream.chartFile("no-digest", "0.4.0")))
                .isEqualTo(-1);
        KkRun verify = KkRun.of("artifact", "verify", "-a", out.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void aChartWhoseIndexDigestDoesNotMatchIsRefusedAndNothingOfItKept() throws Exception {
        Path m = chartManifest(
                tmp,
                "  - {name: hello, repo: \"" + TestUpstream.CHART_REPO + "\", version: 0.2.0}\n"
                        + "  - {name: tampered, repo: \"" + TestUpstream.CHART_REPO + "\", version: 1.0.0}\n");
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("bad.tar.zst");
        KkRun r = sources.export(m, out);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        String served = upstream.chartSha256("tampered", "1.0.0");
        assertThat(r.err()).contains("charts/tampered-1.0.0.tgz", served, "nothing of it was kept");
        try (Stream<Path> files = Files.walk(out.getParent())) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(served))
                    .noneMatch(n -> n.startsWith("tampered"));
        }
    }

    /** {@code kk artifact export} as its own JVM, its output in log.txt. */
    private Process export(Path manifest, Path out) throws IOException {
        return TestArtifacts.exportProcess(manifest, out, upstream.mirrorUrl(), tmp.resolve("log.txt"));
    }
}
