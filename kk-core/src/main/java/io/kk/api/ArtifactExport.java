package io.kk.api;

import io.kk.artifact.ArtifactReader;
import io.kk.artifact.ArtifactWriter;
import io.kk.artifact.Compression;
import io.kk.artifact.ExportDryRun;
import io.kk.artifact.ExportSummary;
import io.kk.catalog.Catalog;
import io.kk.config.Manifest;
import io.kk.config.ManifestSecrets;
import io.kk.download.DownloadSource;
import io.kk.download.HttpDownloader;
import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Note;
import io.kk.export.ExportPlanner;
import io.kk.export.SavedPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code kk artifact export}: plan every piece of a Manifest, then write (or resume) the artifact.
 *
 * <p>The creation time goes into the index and every tar header, so a resumed export must reuse
 * the interrupted one's: it is kept in {@code <out>.kkcreated} until the export finishes. {@code
 * created} (from {@code SOURCE_DATE_EPOCH} in the CLI) fixes it for reproducible artifacts.
 */
public final class ArtifactExport {
    private ArtifactExport() {}

    /**
     * @param parallel pieces fetched at once
     * @param signingKey an ed25519 private key (PKCS#8 PEM), or null
     * @param created the creation time to use, empty for now (or the interrupted run's)
     */
    public record Request(
            Path manifest,
            Path output,
            Compression compression,
            boolean dryRun,
            DownloadSource source,
            Path signingKey,
            int parallel,
            Optional<Instant> created) {}

    /** What the export did (or, for a dry run, would do): exactly one of the two is set. */
    public record Result(ExportPlanner.Planned planned, ExportSummary summary, ExportDryRun dryRun) {}

    public static Result run(Request r, EventSink events) {
        // The JDK's default TLS context (the CA store) is built by the first HTTP client, whichever
        // piece needs it; on a resume it would otherwise sit between loading the plan and the first
        // fetch. Build it beside the Manifest's parsing instead.
        warmUpTls();
        io.kk.image.registry.RegistryClient.warmUpHashing();
        io.kk.config.LoadedManifest loaded = Configs.checkManifest(r.manifest());
        Manifest manifest = loaded.orThrow();
        // KubeKey ignores unknown fields silently: a typo such as "imagess" would export nothing
        loaded.warnings().forEach(p -> events.emit(Note.warn(p.describe())));
        Path output = r.output().toAbsolutePath();
        Path createdFile = output.resolveSibling(output.getFileName() + ".kkcreated");
        Path prefetch = output.resolveSibling(output.getFileName() + ".kkprefetch");
        Instant created = r.created().orElseGet(() -> createdBefore(createdFile)
                .or(() -> createdOfFinished(output, events))
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        events.emit(Note.info("planning the export of " + r.manifest()));
        Path manifestDir = r.manifest().toAbsolutePath().getParent();
        // A resume of an unchanged Manifest reuses the interrupted run's plan instead of planning
        // over the network again; a dry run always plans (and saves nothing).
        Path planFile = SavedPlan.pathFor(output);
        String planKey = planKey(r);
        Optional<ExportPlanner.Planned> saved = r.dryRun()
                ? Optional.empty()
                : SavedPlan.load(planFile, planKey, manifest, created, KkVersion.current(), () -> redacted(r));
        ExportPlanner.Planned planned;
        if (saved.isPresent()) {
            events.emit(Note.info("resuming with the plan saved in " + planFile));
            planned = saved.get();
        } else {
            HttpDownloader downloader = HttpDownloader.builder()
                    .maxAttempts(3)
                    .backoff(Duration.ofMillis(300), Duration.ofSeconds(2))
                    .build();
            planned = new ExportPlanner(Catalog.builtin(), r.source(), downloader, events)
                    .plan(manifest, redacted(r), manifestDir, created, KkVersion.current(), prefetch);
        }
        ArtifactWriter.Options options = ArtifactWriter.Options.defaults()
                .withCompression(r.compression())
                .withSigningKey(r.signingKey())
                .withLookAhead(Math.max(1, r.parallel()), 0);
        ArtifactWriter writer = new ArtifactWriter(events);
        if (r.dryRun()) {
            return new Result(planned, null, writer.dryRun(planned.plan(), output, options));
        }
        try {
            if (r.created().isEmpty() && !Files.exists(createdFile)) {
                Files.createDirectories(output.getParent());
                io.kk.util.AtomicFiles.writeString(createdFile, created.toString());
            }
            if (saved.isEmpty()) {
                Files.createDirectories(output.getParent());
                SavedPlan.save(planFile, planKey, planned);
                io.kk.util.PausePoints.reached("export:plan-saved");
            }
            ExportSummary summary;
            try {
                summary = writer.export(planned.plan(), output, options);
            } catch (RuntimeException e) {
                // a refused piece (upstream changed, wrong checksum) must be planned afresh next time
                Files.deleteIfExists(planFile);
                throw e;
            }
            Files.deleteIfExists(createdFile);
            Files.deleteIfExists(planFile);
            deleteTree(prefetch);
            return new Result(planned, summary, null);
        } catch (IOException e) {
            throw KkException.environment("cannot write beside " + output + ": " + e.getMessage(), "", e);
        }
    }

    /** The Manifest's text as copied into the artifact's index: registry passwords and tokens redacted. */
    private static String redacted(Request r) {
        try {
            return ManifestSecrets.redact(Files.readString(r.manifest(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw KkException.invalidInput("cannot read " + r.manifest() + ": " + e.getMessage(), "");
        }
    }

    private static void warmUpTls() {
        Thread t = new Thread(
                () -> {
                    try {
                        javax.net.ssl.SSLContext.getDefault();
                    } catch (java.security.NoSuchAlgorithmException | RuntimeException e) {
                        // the client that needs it reports the problem
                    }
                },
                "kk-tls-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** What a saved plan is keyed by: the Manifest's bytes and the options that shape the plan. */
    private static String planKey(Request r) {
        try {
            return SavedPlan.key(
                    Files.readAllBytes(r.manifest()),
                    r.source().mirror().map(Object::toString).orElse(""),
                    r.source().zone().name(),
                    String.valueOf(r.compression()),
                    KkVersion.current(),
                    r.manifest().toAbsolutePath().toString());
        } catch (IOException e) {
            throw KkException.invalidInput("cannot read " + r.manifest() + ": " + e.getMessage(), "");
        }
    }

    private static Optional<Instant> createdBefore(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Instant.parse(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A finished artifact at the output keeps its creation time, so exporting the same Manifest
     * again finds it complete instead of writing it anew.
     */
    private static Optional<Instant> createdOfFinished(Path output, EventSink events) {
        if (!Files.isRegularFile(output)) {
            return Optional.empty();
        }
        try {
            String created = new ArtifactReader(EventSink.NONE).inspect(output).created();
            return created == null || created.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(created));
        } catch (RuntimeException e) {
            events.emit(new Note(Note.Level.DEBUG, "cannot read the index of " + output + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
