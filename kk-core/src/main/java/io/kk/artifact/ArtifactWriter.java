package io.kk.artifact;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.event.Progress;
import io.kk.util.AtomicFiles;
import io.kk.util.PausePoints;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Exports an {@link ExportPlan} into one artifact file, resumably.
 *
 * <p>The tar's entries are, in order: {@code kk/index.json}, {@code kk/SHA256SUMS}, then the plan's
 * pieces. Each entry (header, content, padding) is one compressed frame. Pieces are fetched ahead
 * in parallel into a staging dir beside the output ({@code <out>.kkstaging}) within a bounded
 * look-ahead, verified (size, sha256), appended in plan order, and their staged copy deleted. The
 * artifact grows in {@code <out>.kkpart}; after each entry it is fsynced and the journal ({@code
 * <out>.kkjournal}) records the entry and the length. A rerun after a crash cuts the part back to
 * the journaled length, reuses verified and partial staged files, and so writes a file
 * byte-identical to an uninterrupted run. Only the finished, fsynced file is renamed to {@code
 * <out>}: whatever the moment of a crash, a file at {@code <out>} is a complete artifact.
 */
public final class ArtifactWriter {
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_STEP = 4L * 1024 * 1024;
    private static final int FETCH_ATTEMPTS = 3;

    /** A test seam: called at named points of an export so tests can simulate a crash there. */
    @FunctionalInterface
    interface Checkpoint {
        Checkpoint NONE = name -> {};

        void reached(String name);
    }

    /**
     * How to export.
     *
     * @param compression zstd (default) or gzip
     * @param parallelFetches how many pieces are fetched at once
     * @param lookAheadBytes how many bytes may wait in the staging dir; 0 for the default (a tenth
     *     of the artifact, at least 64 MiB); the next piece is always allowed
     * @param signingKey an ed25519 private key (PKCS#8 PEM) to sign the artifact with, or null
     */
    public record Options(Compression compression, int parallelFetches, long lookAheadBytes, Path signingKey) {
        public Options {
            Objects.requireNonNull(compression, "compression");
            if (compression == Compression.NONE) {
                throw KkException.invalidInput("an artifact is written compressed", "use zstd or gzip");
            }
            parallelFetches = Math.max(1, parallelFetches);
        }

        public static Options defaults() {
            return new Options(Compression.ZSTD, 4, 0, null);
        }

        public Options withCompression(Compression c) {
            return new Options(c, parallelFetches, lookAheadBytes, signingKey);
        }

        public Options withSigningKey(Path key) {
            return new Options(compression, parallelFetches, lookAheadBytes, key);
        }

        public Options withLookAhead(int fetches, long bytes) {
            return new Options(compression, fetches, bytes, signingKey);
        }

        long lookAheadFor(long totalBytes) {
            return lookAheadBytes > 0 ? lookAheadBytes : Math.max(64L * 1024 * 1024, totalBytes / 10);
        }
    }

    private final EventSink events;
    private final Checkpoint checkpoint;

    public ArtifactWriter(EventSink events) {
        // tests stop a real export process at these points (-Dkk.pauseAt) to kill it there
        this(events, name -> PausePoints.reached("export:" + name));
    }

    ArtifactWriter(EventSink events, Checkpoint checkpoint) {
        this.events = Objects.requireNonNull(events, "events");
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** The staging dir of an output. */
    static Path stagingFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".kkstaging");
    }

    /** The file the artifact grows in until it is complete. */
    public static Path partialFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".kkpart");
    }

    /** What {@link #export} would do, without fetching or writing anything. */
    public ExportDryRun dryRun(ExportPlan plan, Path output, Options options) {
        try {
            List<ArtifactPiece> entries = entries(plan);
            ExportJournal.State done =
                    ExportJournal.peek(ExportJournal.pathFor(output), fingerprint(entries, options), paths(entries));
            Path partial = partialFor(output);
            if (!Files.exists(partial) || Files.size(partial) < done.outputLength()) {
                done = ExportJournal.State.EMPTY;
            }
            if (isExportOf(output, entries, options)) {
                // Finished before (not verified here; the export verifies it before reusing it).
                done = new ExportJournal.State(entries.size(), Files.size(output));
            }
            Path staging = stagingFor(output);
            List<ExportDryRun.PlannedPiece> planned = new ArrayList<>();
            long toFetch = 0;
            long rest = 0;
            for (int i = 2; i < entries.size(); i++) {
                ArtifactPiece p = entries.get(i);
                ExportDryRun.PieceState state;
                long have = 0;
                if (i < done.entriesDone()) {
                    state = ExportDryRun.PieceState.WRITTEN;
                    have = p.size();
                } else if (p.source().local().isPresent()) {
                    state = ExportDryRun.PieceState.LOCAL;
                    have = p.size();
                } else if (Files.exists(staging.resolve(p.sha256()))) {
                    state = ExportDryRun.PieceState.STAGED;
                    have = p.size();
                } else if (Files.exists(staging.resolve(p.sha256() + ".part"))) {
                    state = ExportDryRun.PieceState.PARTIAL;
                    have = Math.min(p.size(), Files.size(staging.resolve(p.sha256() + ".part")));
                } else {
                    state = ExportDryRun.PieceState.FETCH;
                }
                if (state != ExportDryRun.PieceState.WRITTEN) {
                    rest += p.size() + 2 * TarHeaders.BLOCK;
                }
                if (state == ExportDryRun.PieceState.FETCH || state == ExportDryRun.PieceState.PARTIAL) {
                    toFetch += p.size() - have;
                }
                planned.add(new ExportDryRun.PlannedPiece(
                        p.path(), p.size(), state, have, p.source().describe()));
            }
            long lookAhead = Math.min(options.lookAheadFor(plan.totalBytes()), plan.totalBytes());
            Path dir = output.toAbsolutePath().getParent();
            long free =
                    Files.getFileStore(Files.exists(dir) ? dir : dir.getRoot()).getUsableSpace();
            return new ExportDryRun(
                    output,
                    options.compression(),
                    planned,
                    plan.totalBytes(),
                    done.entriesDone(),
                    done.outputLength(),
                    toFetch,
                    rest + lookAhead,
                    free);
        } catch (IOException e) {
            throw KkException.environment("cannot read " + output + ": " + e.getMessage(), "", e);
        }
    }

    /** Writes (or finishes writing) the artifact. */
    public ExportSummary export(ExportPlan plan, Path output, Options options) {
        try {
            return doExport(plan, output, options);
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot write " + output + ": " + e.getMessage(),
                    "check free disk space and permissions; run the same command again to resume",
                    e);
        }
    }

    private ExportSummary doExport(ExportPlan plan, Path output, Options options) throws IOException {
        List<ArtifactPiece> entries = entries(plan);
        String fingerprint = fingerprint(entries, options);
        Path journalPath = ExportJournal.pathFor(output);
        Path staging = stagingFor(output);
        Path partial = partialFor(output);
        if (output.getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        if (isExportOf(output, entries, options)) {
            // A finished export of the same plan (only a complete file is ever renamed to the
            // output): check it offline instead of fetching it again.
            VerifyReport report = new ArtifactReader(events).verify(output, null);
            if (report.ok()) {
                events.emit(Note.info(output + " is already a complete, verified export of this manifest"));
                // a crash right after the rename may have left these
                Files.deleteIfExists(journalPath);
                Files.deleteIfExists(partial);
                deleteTree(staging);
                return finished(output, options, plan, plan.totalBytes(), Files.size(output), 0, entries.size());
            }
            events.emit(Note.warn(output + " has this manifest's index but does not verify ("
                    + report.mismatches().get(0).path() + "); exporting it again"));
        }
        return writeAndRename(plan, entries, fingerprint, output, partial, options);
    }

    private ExportSummary writeAndRename(
            ExportPlan plan,
            List<ArtifactPiece> entries,
            String fingerprint,
            Path output,
            Path partial,
            Options options)
            throws IOException {
        Path journalPath = ExportJournal.pathFor(output);
        Path staging = stagingFor(output);
        Files.createDirectories(staging);
        ExportJournal journal = ExportJournal.open(journalPath, fingerprint, paths(entries));
        try (journal;
                FileChannel out = FileChannel.open(
                        partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ExportJournal.State state = journal.state();
            if (out.size() < state.outputLength()) {
                // The part lost bytes the journal vouched for (cut short): go on after the last
                // entry it still holds whole.
                long had = state.outputLength();
                state = journal.rewindTo(out.size());
                events.emit(Note.warn(partial + " is " + out.size() + " bytes, the journal recorded " + had
                        + "; going on from " + state.outputLength()));
            }
            int resumed = state.entriesDone();
            if (resumed > 0) {
                events.emit(Note.info("resuming " + output + " after " + (resumed > 2 ? resumed - 2 : 0) + " of "
                        + plan.pieces().size() + " files (" + state.outputLength() + " bytes)"));
            }
            out.truncate(state.outputLength());
            out.position(state.outputLength());
            removeStaleStaging(staging, entries, resumed);

            AtomicLong fetched = new AtomicLong();
            long toFetch = 0;
            for (int i = resumed; i < entries.size(); i++) {
                ArtifactPiece p = entries.get(i);
                if (p.source().local().isEmpty() && !Files.exists(staging.resolve(p.sha256()))) {
                    Path part = staging.resolve(p.sha256() + ".part");
                    toFetch += p.size() - (Files.exists(part) ? Math.min(p.size(), Files.size(part)) : 0);
                }
            }
            Fetcher fetcher = new Fetcher(staging, options, plan.totalBytes(), fetched, toFetch);
            events.emit(new Progress("export/fetch", "fetching", "B", 0, toFetch, false));
            long writtenData = 0;
            for (int i = 2; i < resumed; i++) {
                writtenData += entries.get(i).size(); // the bar of a resumed export starts where it stopped
            }
            long totalData = plan.totalBytes();
            try {
                for (int i = resumed; i < entries.size(); i++) {
                    ArtifactPiece entry = entries.get(i);
                    fetcher.lookAhead(entries, i);
                    Path content = fetcher.await(entry);
                    try {
                        append(
                                out,
                                entry,
                                content,
                                options.compression(),
                                plan.created().getEpochSecond());
                    } catch (KkException e) {
                        if (entry.source().local().isPresent()) {
                            throw e;
                        }
                        // The staged copy went bad after it was verified (a crash while an earlier
                        // run wrote it, the disk): nothing of it was appended; fetch it once more.
                        events.emit(Note.warn(
                                entry.path() + ": its staged copy " + content + " does not match; fetching it again"));
                        try {
                            append(
                                    out,
                                    entry,
                                    fetcher.refetch(entry),
                                    options.compression(),
                                    plan.created().getEpochSecond());
                        } catch (KkException again) {
                            Files.deleteIfExists(staging.resolve(entry.sha256()));
                            throw again;
                        }
                    }
                    checkpoint.reached("appended:" + entry.path());
                    journal.recordDone(i, entry.path(), out.position());
                    checkpoint.reached("journaled:" + entry.path());
                    fetcher.appended(entries, i);
                    if (i >= 2) {
                        writtenData += entry.size();
                        // One bar in bytes whose label counts files: interleaved bars would flood logs.
                        events.emit(new Progress(
                                "export/write", writeLabel(output, i - 1, plan), "B", writtenData, totalData, false));
                    }
                }
            } finally {
                fetcher.close();
            }
            events.emit(new Progress("export/fetch", "fetching", "B", fetched.get(), toFetch, true));
            events.emit(new Progress(
                    "export/write", writeLabel(output, plan.pieces().size(), plan), "B", totalData, totalData, true));
            try (OutputStream frame = options.compression().frame(Channels.newOutputStream(out))) {
                frame.write(TarHeaders.trailer());
            }
            out.force(true);
            checkpoint.reached("trailer");
            long artifactBytes = out.size();
            out.close();
            journal.close();
            // complete and synced: only now does it appear at the output's path
            AtomicFiles.move(partial, output);
            checkpoint.reached("renamed");
            Files.deleteIfExists(journalPath);
            deleteTree(staging);
            return finished(output, options, plan, totalData, artifactBytes, fetched.get(), resumed);
        }
    }

    /** A complete artifact at {@code output}: signs it when asked, then says so (the summary event). */
    private ExportSummary finished(
            Path output,
            Options options,
            ExportPlan plan,
            long dataBytes,
            long artifactBytes,
            long fetchedBytes,
            int resumedEntries)
            throws IOException {
        Path signature = null;
        if (options.signingKey() != null) {
            signature = ArtifactSignature.sign(output, options.signingKey());
        }
        ExportSummary summary = new ExportSummary(
                output,
                options.compression(),
                plan.pieces().size(),
                dataBytes,
                artifactBytes,
                fetchedBytes,
                resumedEntries,
                signature);
        events.emit(summary);
        return summary;
    }

    /** Whether {@code output} starts with the index this plan writes (a finished export of it). */
    private static boolean isExportOf(Path output, List<ArtifactPiece> entries, Options options) throws IOException {
        if (!Files.exists(output) || Files.size(output) == 0) {
            return false;
        }
        byte[] head = ArtifactReader.headIndex(output, options.compression());
        return head != null && Hashing.sha256Hex(head).equals(entries.get(0).sha256());
    }

    private static String writeLabel(Path output, int files, ExportPlan plan) {
        return "writing " + output.getFileName() + " (" + files + "/"
                + plan.pieces().size() + " files)";
    }

    /** kk's two entries, then the plan's pieces. */
    private static List<ArtifactPiece> entries(ExportPlan plan) {
        ArtifactIndex index = plan.index();
        byte[] indexJson = index.toJson();
        byte[] sums = index.sha256Sums(Hashing.sha256Hex(indexJson));
        List<ArtifactPiece> entries = new ArrayList<>(plan.pieces().size() + 2);
        entries.add(ArtifactPiece.generated(ArtifactIndex.PATH, indexJson));
        entries.add(ArtifactPiece.generated(ArtifactIndex.SUMS_PATH, sums));
        entries.addAll(plan.pieces());
        return entries;
    }

    private static List<String> paths(List<ArtifactPiece> entries) {
        return entries.stream().map(ArtifactPiece::path).toList();
    }

    /** Identifies the bytes an export writes: the index (which lists every piece) and the format. */
    private static String fingerprint(List<ArtifactPiece> entries, Options options) {
        MessageDigest md = Hashing.sha256();
        md.update(entries.get(0).sha256().getBytes(StandardCharsets.US_ASCII));
        for (ArtifactPiece p : entries) {
            md.update((p.path() + " " + Integer.toOctalString(p.mode()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        md.update((options.compression() + " zstd" + Compression.ZSTD_LEVEL + " gzip1")
                .getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(md.digest());
    }

    /** Deletes staged files no remaining entry needs (left by a crash after their append). */
    private static void removeStaleStaging(Path staging, List<ArtifactPiece> entries, int from) throws IOException {
        Set<String> needed = new HashSet<>();
        for (int i = from; i < entries.size(); i++) {
            needed.add(entries.get(i).sha256());
        }
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                String sha = name.endsWith(".part") ? name.substring(0, name.length() - 5) : name;
                if (!needed.contains(sha)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * Appends one tar entry as one frame, hashing the content as it goes; on any failure or a
     * mismatch the output is cut back to where the entry began.
     */
    private void append(FileChannel out, ArtifactPiece entry, Path content, Compression compression, long mtime)
            throws IOException {
        long start = out.position();
        MessageDigest md = Hashing.sha256();
        long copied = 0;
        boolean ok = false;
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(out), 256 * 1024);
            try (OutputStream frame = compression.frame(buffered);
                    InputStream in = Files.newInputStream(content)) {
                frame.write(TarHeaders.regularFile(entry.path(), entry.size(), entry.mode(), mtime));
                byte[] buf = new byte[BUFFER];
                int n;
                while (copied < entry.size()
                        && (n = in.read(buf, 0, (int) Math.min(buf.length, entry.size() - copied))) > 0) {
                    md.update(buf, 0, n);
                    frame.write(buf, 0, n);
                    copied += n;
                    checkpoint.reached("appending:" + entry.path());
                }
                frame.write(new byte[TarHeaders.padding(entry.size())]);
            }
            buffered.flush();
            String actual = HexFormat.of().formatHex(md.digest());
            if (copied != entry.size() || !actual.equals(entry.sha256())) {
                throw KkException.failed(
                        entry.path() + " from " + entry.source().describe() + " does not match: expected sha256 "
                                + entry.sha256() + " (" + entry.size() + " bytes), got " + actual + " ("
                                + copied + " bytes)",
                        "the file changed since it was planned; nothing of it was kept");
            }
            out.force(false);
            ok = true;
        } finally {
            if (!ok) {
                out.truncate(start);
                out.position(start);
            }
        }
    }

    /** Fetches pieces ahead of the writer into the staging dir, within the look-ahead budget. */
    private final class Fetcher implements AutoCloseable {
        private final Path staging;
        private final ExecutorService pool;
        private final long budget;
        private final int maxAhead;
        private final AtomicLong fetched;
        private final long toFetch;
        private final AtomicLong lastReported = new AtomicLong();
        private final Map<String, Future<Path>> running = new HashMap<>();
        private final Map<String, Long> stagedBytes = new HashMap<>();
        private int nextToSubmit = -1;

        Fetcher(Path staging, Options options, long totalBytes, AtomicLong fetched, long toFetch) {
            this.staging = staging;
            this.pool = Executors.newFixedThreadPool(options.parallelFetches(), r -> {
                Thread t = new Thread(r, "kk-artifact-fetch");
                t.setDaemon(true);
                return t;
            });
            this.budget = options.lookAheadFor(totalBytes);
            this.maxAhead = options.parallelFetches() * 4;
            this.fetched = fetched;
            this.toFetch = toFetch;
        }

        /** Starts fetches for entries from {@code current} on while the budget allows. */
        void lookAhead(List<ArtifactPiece> entries, int current) {
            if (nextToSubmit < current) {
                nextToSubmit = current;
            }
            while (nextToSubmit < entries.size()) {
                ArtifactPiece p = entries.get(nextToSubmit);
                if (p.source().local().isEmpty() && !running.containsKey(p.sha256())) {
                    long inFlight = stagedBytes.values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                    boolean first = nextToSubmit == current;
                    if (!first && (inFlight + p.size() > budget || running.size() >= maxAhead)) {
                        return;
                    }
                    running.put(p.sha256(), pool.submit(() -> fetch(p)));
                    stagedBytes.put(p.sha256(), p.size());
                }
                nextToSubmit++;
            }
        }

        /** The verified content of an entry: its staged file, or its local file. */
        Path await(ArtifactPiece entry) throws IOException {
            if (entry.source().local().isPresent()) {
                return entry.source().local().get();
            }
            Future<Path> f = running.get(entry.sha256());
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KkException.failed("export interrupted", "run the same command again to resume", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof KkException kk) {
                    throw kk;
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw KkException.internal("fetching " + entry.path() + " failed", e.getCause());
            }
        }

        /** Fetches an entry again from its source, after its staged copy turned out bad. */
        Path refetch(ArtifactPiece entry) throws IOException {
            running.remove(entry.sha256());
            Files.deleteIfExists(staging.resolve(entry.sha256()));
            Files.deleteIfExists(staging.resolve(entry.sha256() + ".part"));
            running.put(entry.sha256(), pool.submit(() -> fetch(entry)));
            stagedBytes.put(entry.sha256(), entry.size());
            return await(entry);
        }

        /** Deletes the staged copy once no later entry needs the same content. */
        void appended(List<ArtifactPiece> entries, int index) throws IOException {
            ArtifactPiece p = entries.get(index);
            if (p.source().local().isPresent()) {
                return;
            }
            for (int j = index + 1; j < entries.size(); j++) {
                if (entries.get(j).sha256().equals(p.sha256())) {
                    return;
                }
            }
            running.remove(p.sha256());
            stagedBytes.remove(p.sha256());
            Files.deleteIfExists(staging.resolve(p.sha256()));
        }

        private Path fetch(ArtifactPiece p) throws IOException {
            Path verified = staging.resolve(p.sha256());
            if (Files.exists(verified) && Files.size(verified) == p.size()) {
                return verified;
            }
            Path part = staging.resolve(p.sha256() + ".part");
            boolean triedFromZero = false;
            while (true) {
                long before = sizeOf(part);
                if (before > p.size()) {
                    Files.delete(part);
                    before = 0;
                }
                if (before < p.size() || p.size() == 0) {
                    download(p, part);
                }
                long size = sizeOf(part);
                String actual = size == p.size() ? Hashing.sha256Hex(part) : "";
                if (actual.equals(p.sha256())) {
                    Files.move(part, verified, StandardCopyOption.ATOMIC_MOVE);
                    checkpoint.reached("fetched:" + p.path());
                    return verified;
                }
                Files.deleteIfExists(part);
                if (before > 0 && !triedFromZero) {
                    // The resumed part may be what is wrong (e.g. the file changed between runs).
                    triedFromZero = true;
                    continue;
                }
                throw KkException.failed(
                        p.path() + ": " + p.source().describe() + " served "
                                + (size != p.size()
                                        ? size + " bytes, expected " + p.size()
                                        : "content with sha256 " + actual + ", expected " + p.sha256()),
                        "the mirror serves a different file than planned (wrong version, URL or checksum);"
                                + " nothing of it was kept");
            }
        }

        private void download(ArtifactPiece p, Path part) throws IOException {
            IOException last = null;
            for (int attempt = 1; attempt <= FETCH_ATTEMPTS; attempt++) {
                try {
                    if (!Files.exists(part)) {
                        Files.createFile(part);
                    }
                    p.source().fetchInto(part, this::countFetched);
                    return;
                } catch (IOException e) {
                    last = e;
                    if (sizeOf(part) >= p.size()) {
                        break;
                    }
                }
            }
            throw KkException.failed(
                    "cannot fetch " + p.path() + " from " + p.source().describe() + ": " + last.getMessage(),
                    "check the mirror and the network; run the same command again to resume",
                    last);
        }

        private void countFetched(long n) {
            long now = fetched.addAndGet(n);
            long last = lastReported.get();
            if (now - last >= PROGRESS_STEP && lastReported.compareAndSet(last, now)) {
                events.emit(new Progress("export/fetch", "fetching", "B", now, toFetch, false));
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
            try {
                // Fetches still running must not keep writing into staged files after we return.
                pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
