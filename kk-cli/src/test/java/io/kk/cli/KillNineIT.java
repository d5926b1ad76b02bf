package io.kk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kk.artifact.ArtifactWriter;
import io.kk.image.layout.OciLayout;
import io.kk.image.registry.RegistryAuth;
import io.kk.image.registry.RegistryClient;
import io.kk.testkit.registry.FaultProxy;
import io.kk.testkit.registry.RegistryServer;
import io.kk.testkit.registry.TestImages;
import io.kk.testkit.upstream.TestUpstream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kk as its own process, killed with SIGKILL at chosen points, then run again: nothing half-written
 * is ever at a final path, and the rerun ends where an uninterrupted run ends. The points are
 * deterministic: a download that the mirror or registry (a {@link FaultProxy}) stalls, or one of
 * kk's pause points ({@code -Dkk.pauseAt}), where kk writes a marker file and blocks; the test kills
 * it once the marker (or the stalled request) is there. Nothing depends on timing.
 */
class KillNineIT {
    private static final int LIMIT_SECONDS = 90;

    @TempDir
    static Path shared;

    static TestUpstream upstream;
    static RegistryServer source;
    static FaultProxy mirror;
    static FaultProxy registry;
    static TestImages.Built big;
    static Path manifest;
    static Path clean;
    static final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestUpstream.start(shared.resolve("upstream"));
        source = RegistryServer.plain();
        OciLayout built = OciLayout.create(shared.resolve("built"));
        TestImages.build(built, TestImages.Spec.small("test/app:v1", 3));
        big = TestImages.build(
                built,
                new TestImages.Spec("test/big:v2", List.of("amd64"), 1 << 16, new int[] {6 << 20, 6 << 20}, false, 11));
        TestArtifacts.push(built, source);
        mirror = FaultProxy.to(upstream.mirrorUrl().substring("http://".length()));
        registry = FaultProxy.to(source.host());
        manifest = writeManifest(shared.resolve("m"));
        clean = shared.resolve("clean/a.tar.zst");
        Files.createDirectories(clean.getParent());
        Path classList = shared.resolve("kk.classlist");
        Process p = kk(
                shared.resolve("clean.log"),
                List.of("-XX:DumpLoadedClassList=" + classList),
                List.of(),
                null,
                exportArgs(clean));
        assertThat(p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(shared.resolve("clean.log")))
                .isZero();
        classArchive(classList);
    }

    /**
     * A class data archive of the classes the clean export loaded, for every later kk process:
     * each starts in about half the time (measured 1.4 s -> 0.7 s under load), and this test
     * starts about 17 of them.
     */
    private static void classArchive(Path classList) throws Exception {
        Path jsa = shared.resolve("kk.jsa");
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xshare:dump"));
        cmd.addAll(JVM);
        cmd.addAll(List.of(
                "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + jsa, "-cp", KK_JAR.toString()));
        Process dump = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(shared.resolve("dump.log").toFile())
                .start();
        started.add(dump);
        assertThat(dump.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(dump.exitValue())
                .as(Files.readString(shared.resolve("dump.log")))
                .isZero();
        archive = jsa;
    }

    @AfterAll
    static void stop() {
        started.forEach(Process::destroyForcibly);
        for (AutoCloseable c : new AutoCloseable[] {registry, mirror, source, upstream}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next one is still closed
            }
        }
    }

    /**
     * Binaries from the mirror (behind the proxy), two images from the registry (behind the proxy).
     * Three binaries of three kinds (a tarball with a SHA256SUMS, a bare file with its .sha256sum, a
     * checksum from the manifest), not the upstream's 53 MB of containerd and CNI plugins too: every
     * kk run here moved, hashed and compressed them again, for no kill point of their own.
     */
    private static Path writeManifest(Path dir) throws IOException {
        Files.createDirectories(dir);
        String text = "apiVersion: kubekey.kubesphere.io/v1alpha2\n"
                + "kind: Manifest\n"
                + "metadata:\n  name: kill9\n"
                + "spec:\n"
                + "  arches: [amd64]\n"
                + "  kubernetesDistributions: []\n"
                + "  components:\n"
                + "    etcd: {version: " + TestUpstream.ETCD + "}\n"
                + "    runc: {version: " + TestUpstream.RUNC + "}\n"
                + "    docker-registry: {version: \"" + TestUpstream.REGISTRY + "\"}\n"
                + "  images:\n"
                + "  - " + registry.host() + "/test/app:v1\n"
                + "  - " + registry.host() + "/test/big:v2\n"
                + "  registry:\n    auths:\n      \"" + registry.host() + "\": {plainHTTP: true}\n"
                + "  checksums:\n    " + TestUpstream.registryFile() + ": \"sha256:"
                + upstream.sha256(TestUpstream.registryFile()) + "\"\n";
        return Files.writeString(dir.resolve("manifest.yaml"), text);
    }

    private static String[] exportArgs(Path out) {
        return new String[] {
            "artifact",
            "export",
            "-m",
            manifest.toString(),
            "-o",
            out.toString(),
            "--download-mirror",
            "http://" + mirror.host()
        };
    }

    @Test
    void exportKilledAtEveryStageAndOnceWhileResumingEndsByteIdenticalWithNothingLeftBeside() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("a.tar.zst");
        Path part = ArtifactWriter.partialFor(out);
        Path staging = out.resolveSibling("a.tar.zst.kkstaging");
        Path journal = out.resolveSibling("a.tar.zst.kkjournal");
        Path plan = out.resolveSibling("a.tar.zst.kkplan");
        String etcd = "etcd-" + TestUpstream.ETCD + "-linux-amd64.tar.gz";
        String layer = biggestLayer();
        List<String> killedAt = new ArrayList<>();

        // 1. planning: the big image's manifest never finishes arriving
        registry.stallOnceAt("/test/big/manifests/v2", 0);
        int before = registry.seen().size();
        Process p = kk(tmp.resolve("1.log"), List.of(), null, exportArgs(out));
        await(
                p,
                () -> seenSince(registry, before).stream()
                        .anyMatch(s -> s.method().equals("GET") && s.path().endsWith("/test/big/manifests/v2")),
                "1.log");
        killedAt.add(kill(p, "planning (a manifest stalled)"));
        assertThat(plan).as("killed before the plan was complete").doesNotExist();
        assertNoOutput(out);

        // 2. the plan saved, nothing fetched yet
        killedAt.add(killAtPause(out, "export:plan-saved", "2.log"));
        assertThat(plan).exists();
        assertNoOutput(out);

        // 3. a binary half downloaded: the mirror stalls it
        mirror.stallOnceAt("/" + etcd, 200_000);
        int mirrorBefore = mirror.seen().size();
        p = kk(tmp.resolve("3.log"), List.of(), null, exportArgs(out));
        Path etcdPart = staging.resolve(upstream.sha256(etcd) + ".part");
        await(
                p,
                () -> Files.exists(etcdPart)
                        && seenSince(mirror, mirrorBefore).stream()
                                .anyMatch(s -> s.path().endsWith("/" + etcd) && s.range() == null),
                "3.log");
        killedAt.add(kill(p, "binary download (etcd stalled)"));
        assertNoOutput(out);

        // 4. an image layer half downloaded: the registry stalls it
        registry.stallOnce(layer, 1 << 20);
        int registryBefore = registry.seen().size();
        p = kk(tmp.resolve("4.log"), List.of(), null, exportArgs(out));
        Path layerPart = staging.resolve(layer.substring("sha256:".length()) + ".part");
        await(
                p,
                () -> Files.exists(layerPart)
                        && seenSince(registry, registryBefore).stream()
                                .anyMatch(s -> s.path().endsWith("/blobs/" + layer) && s.range() == null),
                "4.log");
        killedAt.add(kill(p, "image blob download (layer stalled)"));
        assertNoOutput(out);

        // 5. mid-append of a layer (part of its frame written, not journaled), then the resume of
        //    that is killed too: after an entry is appended, before the journal says so
        killedAt.add(killAtPause(out, "export:appending:images/blobs/*", "5a.log"));
        assertNoOutput(out);
        killedAt.add(killAtPause(out, "export:appended:images/blobs/*", "5b.log"));
        assertNoOutput(out);

        // 6. after an entry is journaled; then the journal's last line is damaged (a digit of the
        //    length changed, as a torn write could): the rerun must not cut the part there
        killedAt.add(killAtPause(out, "export:journaled:images/blobs/*", "6.log"));
        assertNoOutput(out);
        damageLastLength(journal);

        // 7. a staged, verified copy damaged (same size) and a partial one cut short; killed after
        //    the tar's end is written, before the rename
        List<Path> staged;
        try (Stream<Path> s = Files.list(staging)) {
            staged = s.filter(f -> !f.getFileName().toString().endsWith(".part"))
                    .sorted()
                    .toList();
        }
        assertThat(staged).as("staged copies waiting to be appended").isNotEmpty();
        flipByte(staged.get(0));
        killedAt.add(killAtPause(out, "export:trailer", "7.log"));
        assertNoOutput(out);
        assertThat(Files.readString(tmp.resolve("7.log"))).contains("does not match; fetching it again");

        // 8. the part cut short (its last bytes lost); killed right after the rename, before cleanup
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
            f.setLength(f.length() - 5000);
        }
        killedAt.add(killAtPause(out, "export:renamed", "8.log"));
        assertThat(out).exists();
        KkRun verify = KkRun.of("artifact", "verify", "-a", out.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(journal).as("killed before the cleanup").exists();

        // 9. the last run finds the complete artifact, checks it, and cleans up
        Process last = kk(tmp.resolve("9.log"), List.of(), null, exportArgs(out));
        assertThat(last.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(tmp.resolve("9.log"))).isZero();
        assertThat(Files.mismatch(clean, out))
                .as("first byte differing from the clean export")
                .isEqualTo(-1);
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.map(f -> f.getFileName().toString())).containsExactly("a.tar.zst");
        }
        assertThat(killedAt).hasSize(9);
    }

    @Test
    void importKilledMidFileThenRerunEqualsACleanImport() throws Exception {
        Path reference = tmp.resolve("reference");
        KkRun ref = KkRun.of("artifact", "import", "-a", clean.toString(), "--dir", reference.toString());
        assertThat(ref.exit()).as(ref.err()).isZero();

        Path dir = tmp.resolve("imported");
        Path marker = tmp.resolve("import.paused");
        Process p = kk(
                tmp.resolve("import.log"),
                List.of("import:images/blobs/*"),
                marker,
                "artifact",
                "import",
                "-a",
                clean.toString(),
                "--dir",
                dir.toString());
        await(p, () -> Files.exists(marker), "import.log");
        kill(p, "import (a blob written, not yet renamed)");
        assertThat(tree(dir)).as("a half import").isNotEqualTo(tree(reference));
        // nothing takes the half import for a finished one: its completion marker is missing
        assertThat(dir.resolve(".kk-imported")).doesNotExist();
        assertThat(reference.resolve(".kk-imported")).exists();

        KkRun again = KkRun.of("artifact", "import", "-a", clean.toString(), "--dir", dir.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(tree(dir)).isEqualTo(tree(reference));
    }

    @Test
    void pushKilledAfterABlobAndAgainBeforeTheIndexThenRerunHasTheSameDigests() throws Exception {
        try (RegistryServer target = RegistryServer.plain()) {
            Path work = tmp.resolve("work");
            String[] push = {
                "artifact",
                "images",
                "push",
                "-a",
                clean.toString(),
                "--dir",
                work.toString(),
                "--registry",
                target.host(),
                "--plain-http"
            };
            Path marker1 = tmp.resolve("push1.paused");
            Process p = kk(tmp.resolve("push1.log"), List.of("push:blob:*"), marker1, push);
            await(p, () -> Files.exists(marker1), "push1.log");
            kill(p, "push (one blob uploaded)");
            Path marker2 = tmp.resolve("push2.paused");
            p = kk(tmp.resolve("push2.log"), List.of("push:children:*"), marker2, push);
            await(p, () -> Files.exists(marker2), "push2.log");
            kill(p, "push (child manifests put, not the index)");

            KkRun again = KkRun.of(push);
            assertThat(again.exit()).as(again.err()).isZero();
            // every image at the digest the artifact holds (its index, the amd64 subset kept)
            OciLayout layout = OciLayout.open(work.resolve("images"));
            RegistryClient c = new RegistryClient(target.host(), new RegistryAuth(null, null, false, true, null));
            assertThat(layout.entries()).hasSize(2);
            for (OciLayout.Entry e : layout.entries()) {
                String ref = e.refName().substring(registry.host().length() + 1);
                String repo = ref.substring(0, ref.indexOf(':'));
                assertThat(c.headManifest(repo, ref.substring(ref.indexOf(':') + 1))
                                .orElseThrow()
                                .digest())
                        .as(ref)
                        .isEqualTo(e.descriptor().digest());
            }
            for (String blob : big.blobs()) {
                if (layout.hasBlob(blob)) {
                    assertThat(c.hasBlob("test/big", blob)).as(blob).isTrue();
                }
            }
        }
    }

    @Test
    void createConfigAndManifestKilledBetweenWriteAndRenameLeaveTheOldFileWhole() throws Exception {
        Path config = tmp.resolve("config.yaml");
        Path m = tmp.resolve("manifest.yaml");
        assertThat(KkRun.of("create", "config", "-f", config.toString()).exit()).isZero();
        assertThat(KkRun.of("create", "manifest", "-o", m.toString()).exit()).isZero();
        byte[] oldConfig = Files.readAllBytes(config);
        byte[] oldManifest = Files.readAllBytes(m);

        String[][] runs = {
            {"create", "config", "--name", "other", "-f", config.toString(), "--yes"},
            {"create", "manifest", "--name", "other", "-o", m.toString(), "--yes"}
        };
        Path[] files = {config, m};
        for (int i = 0; i < runs.length; i++) {
            Path marker = tmp.resolve("create" + i + ".paused");
            Process p = kk(tmp.resolve("create" + i + ".log"), List.of("write:*"), marker, runs[i]);
            await(p, () -> Files.exists(marker), "create" + i + ".log");
            kill(p, Files.readString(marker).strip());
            assertThat(Files.readString(marker)).contains(files[i].getFileName().toString());
        }
        // the new text was complete and synced beside them; the files themselves are the old ones
        assertThat(Files.readAllBytes(config)).isEqualTo(oldConfig);
        assertThat(Files.readAllBytes(m)).isEqualTo(oldManifest);

        for (String[] run : runs) {
            KkRun again = KkRun.of(run);
            assertThat(again.exit()).as(again.err()).isZero();
        }
        assertThat(Files.readString(config)).contains("name: other");
        assertThat(Files.readString(m)).contains("name: other");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".kktmp"));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Runs the export until it pauses at {@code point}, then kills it. */
    private String killAtPause(Path out, String point, String log) throws Exception {
        Path marker = tmp.resolve(log + ".paused");
        Process p = kk(tmp.resolve(log), List.of(point), marker, exportArgs(out));
        await(p, () -> Files.exists(marker), log);
        return kill(p, Files.readString(marker).strip());
    }

    private static String kill(Process p, String where) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL at " + where).isEqualTo(137);
        return where;
    }

    interface Condition {
        boolean holds() throws IOException;
    }

    /** Waits until {@code condition} holds while the process still runs (it must not end first). */
    private void await(Process p, Condition condition, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!condition.holds()) {
            if (!p.isAlive()) {
                fail("kk ended (exit " + p.exitValue() + ") before the kill point:\n"
                        + Files.readString(tmp.resolve(log)));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("kk never reached the kill point:\n" + Files.readString(tmp.resolve(log)));
            }
            Thread.sleep(5);
        }
    }

    /** The requests a proxy saw after the first {@code from} (the earlier runs' are not this run's). */
    private static List<FaultProxy.Seen> seenSince(FaultProxy proxy, int from) {
        List<FaultProxy.Seen> all = proxy.seen();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** Only a complete artifact may ever be at the output's path. */
    private static void assertNoOutput(Path out) {
        assertThat(out)
                .as("a file at the output's path before the export finished")
                .doesNotExist();
    }

    private static String biggestLayer() throws IOException {
        OciLayout built = OciLayout.open(shared.resolve("built"));
        String best = null;
        long size = -1;
        for (String b : big.blobs()) {
            long s = Files.size(built.blobPath(b));
            if (s > size) {
                size = s;
                best = b;
            }
        }
        return best;
    }

    /** Changes one digit of the length on the journal's last line (3 -> 2, else -> 1). */
    private static void damageLastLength(Path journal) throws IOException {
        String text = Files.readString(journal);
        int lineStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        String[] f = text.substring(lineStart).split(" ", 5);
        assertThat(f[0]).isEqualTo("done");
        char first = f[2].charAt(0);
        f[2] = (first == '1' ? '2' : '1') + f[2].substring(1);
        Files.writeString(journal, text.substring(0, lineStart) + String.join(" ", f));
    }

    private static void flipByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
    }

    /** Every file under {@code dir} (dot files included) with its sha256. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder())
                    .toList()) {
                files.put(dir.relativize(f).toString(), sha256(f));
            }
        }
        return files;
    }

    private static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** kk's shaded jar (the package phase runs before the ITs): class archives need a jar class path. */
    private static final Path KK_JAR = Path.of("target", "kk.jar").toAbsolutePath();

    private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** The class data archive once made (null before). */
    static Path archive;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process kk(Path log, List<String> pauseAt, Path marker, String... args) throws IOException {
        return kk(log, List.of(), pauseAt, marker, args);
    }

    /** kk as its own JVM (fixed creation time), optionally stopping at pause points. */
    private static Process kk(Path log, List<String> jvm, List<String> pauseAt, Path marker, String... args)
            throws IOException {
        assertThat(KK_JAR).as("kk's jar, made by the package phase").isRegularFile();
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(JVM);
        cmd.addAll(jvm);
        if (archive != null) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        if (!pauseAt.isEmpty()) {
            cmd.add("-Dkk.pauseAt=" + String.join(",", pauseAt));
            cmd.add("-Dkk.pauseMarker=" + marker);
        }
        cmd.addAll(List.of("-cp", KK_JAR.toString(), "io.kk.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SOURCE_DATE_EPOCH", "1700000000");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }
}
