package io.kk.cli;

import io.kk.api.ArtifactExport;
import io.kk.artifact.Compression;
import io.kk.artifact.ExportDryRun;
import io.kk.artifact.ExportSummary;
import io.kk.error.KkException;
import io.kk.export.ExportPlanner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        description = "Write every binary, ISO and image a Manifest names into one artifact file (resumable).")
final class ArtifactExportCommand implements Callable<Integer> {
    private final Console console;

    @Mixin
    GlobalOptions global;

    @Mixin
    DownloadOptions download;

    @Option(
            names = {"-m", "--manifest"},
            required = true,
            paramLabel = "FILE",
            description = "The Manifest.")
    Path manifest;

    @Option(
            names = {"-o", "--output-file"},
            paramLabel = "FILE",
            description = "The artifact (default kubekey-artifact.tar.zst, .tar.gz with --compression gzip).")
    Path output;

    @Option(
            names = "--compression",
            defaultValue = "zstd",
            paramLabel = "zstd|gzip",
            description = "zstd (default) or gzip (KubeKey can read it).")
    String compression;

    @Option(names = "--dry-run", description = "Show what would be fetched, sizes, disk needed; write nothing.")
    boolean dryRun;

    @Option(names = "--key", paramLabel = "ED25519_PEM", description = "Sign the artifact (<artifact>.sig).")
    Path key;

    @Option(names = "--parallel", defaultValue = "4", description = "Files fetched at once (default ${DEFAULT-VALUE}).")
    int parallel;

    ArtifactExportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Compression c =
                switch (compression.toLowerCase(Locale.ROOT)) {
                    case "zstd" -> Compression.ZSTD;
                    case "gzip", "gz" -> Compression.GZIP;
                    default -> throw KkException.invalidInput(
                            "--compression " + compression + " is not supported", "use zstd or gzip");
                };
        Path out = output != null
                ? output
                : Path.of(c == Compression.GZIP ? "kubekey-artifact.tar.gz" : "kubekey-artifact.tar.zst");
        ArtifactExport.Result r = ArtifactExport.run(
                new ArtifactExport.Request(
                        manifest, out, c, dryRun, download.source(), key, parallel, sourceDateEpoch()),
                console);
        ExportPlanner.Planned p = r.planned();
        String contents = String.format(
                "%d binaries, %d ISOs, %d charts, %d images (%s of blobs)",
                p.binaries(), p.isos(), p.charts(), p.images(), ProgressRenderer.amount(p.imageBlobBytes(), "B"));
        if (r.dryRun() != null) {
            ExportDryRun d = r.dryRun();
            for (ExportDryRun.PlannedPiece piece : d.pieces()) {
                console.line(String.format(
                        "%-8s %10s  %s  <- %s",
                        piece.state(), ProgressRenderer.amount(piece.size(), "B"), piece.path(), piece.source()));
            }
            console.line("dry run: " + d.output() + ": " + contents + "; "
                    + d.pieces().size() + " files, "
                    + ProgressRenderer.amount(d.dataBytes(), "B") + " of data; to fetch "
                    + ProgressRenderer.amount(d.toFetchBytes(), "B") + "; disk needed about "
                    + ProgressRenderer.amount(d.diskNeededBytes(), "B") + " ("
                    + ProgressRenderer.amount(d.diskFreeBytes(), "B") + " free)");
            console.result(d);
            return 0;
        }
        ExportSummary s = r.summary();
        console.line("exported " + s.output() + " (" + s.compression().name().toLowerCase(Locale.ROOT) + ", "
                + ProgressRenderer.amount(s.artifactBytes(), "B") + ")");
        console.line("  " + contents + "; " + s.files() + " files, " + ProgressRenderer.amount(s.dataBytes(), "B")
                + " before compression");
        console.line("  fetched " + ProgressRenderer.amount(s.fetchedBytes(), "B") + " this run"
                + (s.resumedEntries() > 0 ? ", resumed after " + s.resumedEntries() + " entries" : ""));
        if (s.signature() != null) {
            console.line("  signature " + s.signature());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("summary", s);
        json.put("binaries", p.binaries());
        json.put("isos", p.isos());
        json.put("charts", p.charts());
        json.put("images", p.images());
        console.result(json);
        return 0;
    }

    /** Reproducible builds' SOURCE_DATE_EPOCH fixes the creation time (and so the artifact's bytes). */
    private static Optional<Instant> sourceDateEpoch() {
        String v = System.getenv("SOURCE_DATE_EPOCH");
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(v.strip())));
        } catch (NumberFormatException e) {
            throw KkException.invalidInput(
                    "SOURCE_DATE_EPOCH=" + v + " is not a number of seconds", "unset it or give seconds since 1970");
        }
    }
}
