package io.kk.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.event.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactRoundTripTest {
    @TempDir
    Path tmp;

    Upstream upstream;
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        upstream = new Upstream();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void exportVerifyImportRoundTripWithStandardTools() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");

        ExportSummary summary = new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());

        assertThat(summary.files()).isEqualTo(plan.pieces().size());
        assertThat(summary.artifactBytes()).isEqualTo(Files.size(out));
        assertThat(events).contains(summary);
        assertThat(events)
                .filteredOn(e -> e instanceof Progress p && p.finished())
                .extracting(e -> ((Progress) e).task())
                .contains("export/fetch", "export/write");
        assertThat(ExportJournal.pathFor(out)).doesNotExist();
        assertThat(ArtifactWriter.stagingFor(out)).doesNotExist();

        // GNU tar lists every entry, in plan order, kk's index first.
        List<String> expected = new ArrayList<>(List.of(ArtifactIndex.PATH, ArtifactIndex.SUMS_PATH));
        plan.pieces().forEach(p -> expected.add(p.path()));
        assertThat(Tools.run(tmp, "sh", "-c", "zstd -dc " + out + " | tar -tf -")
                        .lines()
                        .toList())
                .containsExactlyElementsOf(expected);
        Tools.run(tmp, "zstd", "-q", "-t", out.toString());

        VerifyReport report = new ArtifactReader(events::add).verify(out, null);
        assertThat(report.mismatches()).isEmpty();
        assertThat(report.kkIndex()).isTrue();
        assertThat(report.blobsChecked()).isEqualTo(6);
        assertThat(report.filesChecked()).isEqualTo(plan.pieces().size() + 2);

        Path dir = tmp.resolve("kubekey");
        ImportResult imported = new ArtifactReader(events::add).importTo(out, dir);
        assertThat(imported.files()).isEqualTo(plan.pieces().size() + 2);
        for (ArtifactPiece p : plan.pieces()) {
            assertThat(Hashing.sha256Hex(dir.resolve(p.path()))).as(p.path()).isEqualTo(p.sha256());
        }
        assertThat(Files.isExecutable(dir.resolve("kube/v1.28.2/amd64/kubeadm")))
                .isTrue();
        // The checksum list works with sha256sum -c from the work dir.
        assertThat(Tools.run(dir, "sha256sum", "-c", "--quiet", "kk/SHA256SUMS"))
                .isEmpty();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".kkpart")))
                    .isEmpty();
        }

        ArtifactContents contents = new ArtifactReader(events::add).inspect(out);
        assertThat(contents.kkIndex()).isTrue();
        assertThat(contents.created()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(contents.components())
                .extracting(c -> c.name() + " " + c.version() + " " + c.arch() + " " + c.files())
                .containsExactly("etcd v3.5.9 amd64 1", "kube v1.28.2 amd64 2", "repository/ubuntu 22.04 amd64 1");
        assertThat(contents.blobs()).isEqualTo(6);
        assertThat(contents.images()).extracting(ImageEntry::platform).containsExactly("linux/amd64");
        assertThat(contents.manifest()).contains("kind: Manifest");
    }

    @Test
    void gzipArtifactIsReadByGnuTarAndIsDeterministic() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path a = tmp.resolve("a.tar.gz");
        Path b = tmp.resolve("b.tar.gz");
        ArtifactWriter.Options gzip = ArtifactWriter.Options.defaults().withCompression(Compression.GZIP);
        new ArtifactWriter(events::add).export(plan, a, gzip);
        new ArtifactWriter(events::add).export(plan, b, gzip.withLookAhead(1, 1));

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Tools.run(tmp, "tar", "-tzf", a.toString()).lines())
                .hasSize(plan.pieces().size() + 2);
        assertThat(Tools.run(tmp, "gzip", "-t", a.toString())).isEmpty();
        String verbose = Tools.run(tmp, "tar", "--numeric-owner", "-tvzf", a.toString());
        assertThat(verbose.lines().findFirst().orElseThrow())
                .startsWith("-rw-r--r-- 0/0")
                .contains("2026-01-02");
        assertThat(verbose).contains("-rwxr-xr-x 0/0").contains("kube/v1.28.2/amd64/kubeadm");
        assertThat(new ArtifactReader(events::add).verify(a, null).ok()).isTrue();
    }

    @Test
    void flippedByteInTheArtifactIsNamedByVerify() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());
        // Flip a byte in the middle of the biggest entry's frame (the ISO).
        long isoFrameStart = frameStartOf(out, plan, "repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso");
        flip(out, isoFrameStart + 100_000);

        VerifyReport report = new ArtifactReader(events::add).verify(out, null);

        assertThat(report.ok()).isFalse();
        assertThat(report.mismatches().get(0).path()).isEqualTo("repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso");
        assertThatThrownBy(() -> new ArtifactReader(events::add).importTo(out, tmp.resolve("kubekey")))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("ubuntu-22.04-amd64.iso");
        try (Stream<Path> all = Files.walk(tmp.resolve("kubekey"))) {
            assertThat(all.filter(p -> p.toString().contains("ubuntu-22.04")
                            || p.toString().endsWith(".kkpart")))
                    .isEmpty();
        }
    }

    @Test
    void pieceNotMatchingItsPlanIsRefusedByTheWriter() throws Exception {
        // A well-formed tar whose kubeadm differs from what the index promises.
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        List<ArtifactPiece> lying = new ArrayList<>();
        for (ArtifactPiece p : plan.pieces()) {
            lying.add(
                    p.path().endsWith("kubeadm")
                            ? new ArtifactPiece(
                                    p.path(), 3, p.sha256(), 0755, PieceSource.bytes(new byte[] {1, 2, 3}, "x"))
                            : p);
        }
        Path out = tmp.resolve("artifact.tar.zst");
        ExportPlan bad = new ExportPlan(plan.created(), plan.kkVersion(), plan.manifest(), lying, plan.images());
        // Even a local piece is hashed as it is appended; the entry is cut back out.
        assertThatThrownBy(() -> new ArtifactWriter(events::add).export(bad, out, ArtifactWriter.Options.defaults()))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("kube/v1.28.2/amd64/kubeadm");
    }

    @Test
    void pieceServedWithAFlippedByteIsRefusedAndNothingIsKept() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        String etcd = "/etcd/v3.5.9/amd64/etcd-v3.5.9-linux-amd64.tar.gz";
        byte[] served = ArtifactFixtures.random(3, 200_000);
        served[12345] ^= 0x40;
        upstream.put(etcd, served);
        Path out = tmp.resolve("artifact.tar.zst");

        assertThatThrownBy(() -> new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults()))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("etcd/v3.5.9/amd64/etcd-v3.5.9-linux-amd64.tar.gz")
                .hasMessageContaining("expected " + plan.pieces().get(2).sha256());

        try (Stream<Path> staged = Files.list(ArtifactWriter.stagingFor(out))) {
            assertThat(staged.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(plan.pieces().get(2).sha256()));
        }
        // The artifact holds only the entries before etcd.
        assertThat(Tools.run(tmp, "sh", "-c", "zstd -dc " + out + " 2>/dev/null | tar -tf - 2>/dev/null; true"))
                .doesNotContain("etcd");
    }

    @Test
    void interruptedDownloadResumesWithRangeAndNeverRefetchesVerifiedBytes() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        Path clean = tmp.resolve("clean.tar.zst");
        new ArtifactWriter(events::add).export(plan, clean, ArtifactWriter.Options.defaults());
        long fullServed = upstream.bytesServed.get();
        upstream.bytesServed.set(0);
        upstream.requests.clear();

        // The ISO download is cut after 300 000 bytes; the writer retries with a Range request.
        upstream.cutOnce("/repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso", 300_000);
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());

        // The resume starts where the partial file ends: at most the 300 000 bytes sent, fewer when
        // the last ones were still in flight as the connection dropped (never stored, so not verified).
        String iso = "/repository/amd64/ubuntu/22.04/ubuntu-22.04-amd64.iso bytes=";
        long resumedAt = upstream.requests.stream()
                .filter(r -> r.startsWith(iso))
                .mapToLong(r -> Long.parseLong(r.substring(iso.length(), r.length() - 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Range request for the ISO: " + upstream.requests));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(300_000);
        assertThat(upstream.bytesServed.get()).isEqualTo(fullServed + (300_000 - resumedAt));
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(clean));
    }

    @Test
    void dryRunReportsWhatWouldBeFetchedAndWhatIsDone() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        ArtifactWriter.Options options = ArtifactWriter.Options.defaults();

        ExportDryRun before = new ArtifactWriter(events::add).dryRun(plan, out, options);
        assertThat(before.writtenEntries()).isZero();
        assertThat(before.toFetchBytes())
                .isEqualTo(plan.pieces().stream()
                                .filter(p -> !p.path().equals("images/oci-layout")
                                        && !p.path().equals("images/index.json"))
                                .mapToLong(ArtifactPiece::size)
                                .sum()
                        + plan.pieces().stream()
                                .filter(p -> p.path().equals("images/oci-layout")
                                        || p.path().equals("images/index.json"))
                                .mapToLong(ArtifactPiece::size)
                                .sum());
        assertThat(before.diskNeededBytes()).isGreaterThan(plan.totalBytes());
        assertThat(upstream.requests).isEmpty();
        assertThat(out).doesNotExist();

        // Crash after the kubelet entry is journaled.
        ArtifactWriter crashing = new ArtifactWriter(events::add, point -> {
            if (point.equals("journaled:kube/v1.28.2/amd64/kubelet")) {
                throw new SimulatedCrash(point);
            }
        });
        assertThatThrownBy(() -> crashing.export(plan, out, options.withLookAhead(1, 1)))
                .isInstanceOf(SimulatedCrash.class);

        ExportDryRun after = new ArtifactWriter(events::add).dryRun(plan, out, options);
        assertThat(after.writtenEntries()).isEqualTo(4);
        assertThat(after.pieces())
                .extracting(ExportDryRun.PlannedPiece::state)
                .startsWith(ExportDryRun.PieceState.WRITTEN, ExportDryRun.PieceState.WRITTEN);
        assertThat(after.pieces().get(2).state()).isNotEqualTo(ExportDryRun.PieceState.WRITTEN);
        assertThat(after.toFetchBytes()).isLessThan(before.toFetchBytes());
    }

    @Test
    void signatureIsCheckedByVerify() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path key = tmp.resolve("key.pem");
        Path pub = tmp.resolve("pub.pem");
        Tools.run(tmp, "openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        Tools.run(tmp, "openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        Path out = tmp.resolve("artifact.tar.zst");

        ExportSummary summary = new ArtifactWriter(events::add)
                .export(plan, out, ArtifactWriter.Options.defaults().withSigningKey(key));

        assertThat(summary.signature()).exists();
        VerifyReport ok = new ArtifactReader(events::add).verify(out, pub);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.signedSha256()).isEqualTo(Hashing.sha256Hex(out));

        Path otherKey = tmp.resolve("other.pem");
        Path otherPub = tmp.resolve("other.pub.pem");
        Tools.run(tmp, "openssl", "genpkey", "-algorithm", "ed25519", "-out", otherKey.toString());
        Tools.run(tmp, "openssl", "pkey", "-in", otherKey.toString(), "-pubout", "-out", otherPub.toString());
        VerifyReport wrongKey = new ArtifactReader(events::add).verify(out, otherPub);
        assertThat(wrongKey.ok()).isFalse();
        assertThat(wrongKey.mismatches().get(0).problem()).contains("does not match the key");

        // Appending a byte changes the artifact's sha256: the signature no longer covers it.
        Files.write(out, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(new ArtifactReader(events::add)
                        .verify(out, pub)
                        .mismatches()
                        .get(0)
                        .problem())
                .contains("not the signed one");
    }

    @Test
    void rerunOfAFinishedExportVerifiesItAndFetchesNothing() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        ArtifactWriter.Options options = ArtifactWriter.Options.defaults();
        new ArtifactWriter(events::add).export(plan, out, options);
        byte[] first = Files.readAllBytes(out);
        upstream.requests.clear();

        assertThat(new ArtifactWriter(events::add).dryRun(plan, out, options).toFetchBytes())
                .isZero();
        ExportSummary again = new ArtifactWriter(events::add).export(plan, out, options);

        assertThat(again.fetchedBytes()).isZero();
        assertThat(upstream.requests).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(first);

        // A damaged finished export is written again.
        flip(out, Files.size(out) - 2000);
        new ArtifactWriter(events::add).export(plan, out, options);
        assertThat(Files.readAllBytes(out)).isEqualTo(first);
        assertThat(upstream.requests).isNotEmpty();
    }

    @Test
    void stagedCopyDamagedAfterACrashIsFetchedAgainInTheSameRun() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        Path clean = tmp.resolve("clean.tar.zst");
        new ArtifactWriter(events::add).export(plan, clean, ArtifactWriter.Options.defaults());
        ArtifactPiece iso = plan.pieces().get(3);
        ArtifactWriter crashing = new ArtifactWriter(events::add, point -> {
            if (point.equals("fetched:" + iso.path())) {
                throw new SimulatedCrash(point);
            }
        });
        assertThatThrownBy(() -> crashing.export(plan, out, ArtifactWriter.Options.defaults()))
                .isInstanceOf(SimulatedCrash.class);
        Path staged = ArtifactWriter.stagingFor(out).resolve(iso.sha256());
        assertThat(staged).exists();
        flip(staged, 1000);

        // the rerun appends nothing of the damaged copy: it says so, fetches the piece again and ends
        // byte-identical (before, it failed and a third run was needed)
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(clean));
        assertThat(events)
                .anyMatch(e -> e instanceof io.kk.event.Note n
                        && n.text().contains(iso.path())
                        && n.text().contains("fetching it again"));
        assertThat(staged).doesNotExist();
    }

    @Test
    void theOutputPathHoldsNothingUntilTheArtifactIsCompleteAndARenamedOneIsKept() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        Path clean = tmp.resolve("clean.tar.zst");
        new ArtifactWriter(events::add).export(plan, clean, ArtifactWriter.Options.defaults());
        for (String point : List.of("journaled:" + plan.pieces().get(1).path(), "trailer")) {
            ArtifactWriter crashing = new ArtifactWriter(events::add, p -> {
                if (p.equals(point)) {
                    assertThat(out).as("at " + point).doesNotExist();
                    throw new SimulatedCrash(p);
                }
            });
            assertThatThrownBy(() -> crashing.export(plan, out, ArtifactWriter.Options.defaults()))
                    .isInstanceOf(SimulatedCrash.class);
            assertThat(out).doesNotExist();
            assertThat(ArtifactWriter.partialFor(out)).exists();
        }
        // a crash right after the rename: the output is whole, the journal still there
        ArtifactWriter crashing = new ArtifactWriter(events::add, p -> {
            if (p.equals("renamed")) {
                throw new SimulatedCrash(p);
            }
        });
        assertThatThrownBy(() -> crashing.export(plan, out, ArtifactWriter.Options.defaults()))
                .isInstanceOf(SimulatedCrash.class);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(clean));
        assertThat(ExportJournal.pathFor(out)).exists();
        upstream.requests.clear();
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());
        assertThat(upstream.requests)
                .as("nothing fetched for a complete output")
                .isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(clean));
        assertThat(ExportJournal.pathFor(out)).doesNotExist();
        assertThat(ArtifactWriter.partialFor(out)).doesNotExist();
        assertThat(ArtifactWriter.stagingFor(out)).doesNotExist();
    }

    @Test
    void aPartCutShortGoesOnFromTheLastEntryItHoldsWhole() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        Path clean = tmp.resolve("clean.tar.zst");
        new ArtifactWriter(events::add).export(plan, clean, ArtifactWriter.Options.defaults());
        ArtifactWriter crashing = new ArtifactWriter(events::add, p -> {
            if (p.equals("trailer")) {
                throw new SimulatedCrash(p);
            }
        });
        assertThatThrownBy(() -> crashing.export(plan, out, ArtifactWriter.Options.defaults()))
                .isInstanceOf(SimulatedCrash.class);
        Path part = ArtifactWriter.partialFor(out);
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3000); // the last entry and the trailer lose their end
        }
        upstream.requests.clear();
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(clean));
        assertThat(events)
                .anyMatch(e -> e instanceof io.kk.event.Note n && n.text().contains("the journal recorded"));
    }

    @Test
    void peakDiskStaysWithinATenthAboveTheFinalArtifact() throws Exception {
        // 40 incompressible pieces of equal size, look-ahead a tenth of the artifact (the default
        // rule for artifacts above 640 MiB), 4 parallel fetches.
        List<ArtifactPiece> pieces = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pieces.add(ArtifactFixtures.remote(
                    upstream, "images/blobs/sha256/" + i, ArtifactFixtures.random(100 + i, 100_000), false));
        }
        ExportPlan plan = new ExportPlan(ArtifactFixtures.CREATED, "test", "", pieces, List.of());
        Path out = tmp.resolve("artifact.tar.zst");
        Path staging = ArtifactWriter.stagingFor(out);
        long[] peak = {0};
        ArtifactWriter writer = new ArtifactWriter(events::add, point -> {
            try {
                long used = Files.exists(out) ? Files.size(out) : 0;
                if (Files.exists(staging)) {
                    try (Stream<Path> staged = Files.list(staging)) {
                        for (Path f : staged.toList()) {
                            used += Files.exists(f) ? Files.size(f) : 0;
                        }
                    }
                }
                synchronized (peak) {
                    peak[0] = Math.max(peak[0], used);
                }
            } catch (IOException e) {
                // a staged file vanished between list and size: not a peak
            }
        });
        writer.export(plan, out, ArtifactWriter.Options.defaults().withLookAhead(4, plan.totalBytes() / 10));

        assertThat(peak[0]).isGreaterThan(Files.size(out) / 2);
        assertThat((double) peak[0]).isLessThanOrEqualTo(1.1 * Files.size(out));
    }

    @Test
    void inspectReadsOnlyTheHeadOfTheFile() throws Exception {
        ExportPlan plan = ArtifactFixtures.plan(upstream, 1);
        Path out = tmp.resolve("artifact.tar.zst");
        new ArtifactWriter(events::add).export(plan, out, ArtifactWriter.Options.defaults());
        // Keep only the first 4 KiB: the index frame; the rest of the file is gone.
        Path head = tmp.resolve("head.tar.zst");
        byte[] all = Files.readAllBytes(out);
        Files.write(head, java.util.Arrays.copyOf(all, 4096));

        ArtifactContents contents = new ArtifactReader(events::add).inspect(head);

        assertThat(contents.kkIndex()).isTrue();
        assertThat(contents.files()).isEqualTo(plan.pieces().size());
        assertThat(contents.dataBytes()).isEqualTo(plan.totalBytes());
    }

    /** Where the compressed frame of an entry begins: the journal knows, so export with a crash hook. */
    private long frameStartOf(Path out, ExportPlan plan, String path) throws IOException {
        Path probe = tmp.resolve("probe.tar.zst");
        long[] start = {-1};
        List<String> order = new ArrayList<>();
        plan.pieces().forEach(p -> order.add(p.path()));
        int idx = order.indexOf(path);
        String before = idx == 0 ? ArtifactIndex.SUMS_PATH : order.get(idx - 1);
        ArtifactWriter w = new ArtifactWriter(events::add, point -> {
            if (point.equals("journaled:" + before)) {
                try {
                    start[0] = Files.size(ArtifactWriter.partialFor(probe));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        w.export(plan, probe, ArtifactWriter.Options.defaults());
        assertThat(Files.readAllBytes(probe)).isEqualTo(Files.readAllBytes(out));
        return start[0];
    }

    static void flip(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(
                file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, offset);
        }
    }

    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash at " + where);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
