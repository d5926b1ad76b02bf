package io.kk.artifact;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A manual probe (not a test): exports the given files as staged pieces, to measure memory and
 * disk on big inputs. Usage: {@code java -Xmx32m -cp ... ExportProbe out.tar.zst gzip|zstd FILE...}
 */
public final class ExportProbe {
    private ExportProbe() {}

    public static void main(String[] args) throws IOException {
        List<ArtifactPiece> pieces = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            Path file = Path.of(args[i]);
            PieceSource local = PieceSource.file(file);
            // Hide local(): go through the staging dir like a download.
            PieceSource staged = new PieceSource() {
                @Override
                public void fetchInto(Path partial, LongConsumer fetched) throws IOException {
                    local.fetchInto(partial, fetched);
                }

                @Override
                public String describe() {
                    return local.describe();
                }
            };
            pieces.add(ArtifactPiece.file(
                    "repository/amd64/probe/1/" + file.getFileName(),
                    java.nio.file.Files.size(file),
                    Hashing.sha256Hex(file),
                    staged));
        }
        ExportPlan plan = new ExportPlan(Instant.EPOCH, "probe", "", pieces, List.of());
        long t0 = System.nanoTime();
        ExportSummary s = new ArtifactWriter(e -> {})
                .export(
                        plan,
                        Path.of(args[0]),
                        ArtifactWriter.Options.defaults().withCompression(Compression.valueOf(args[1].toUpperCase())));
        Runtime rt = Runtime.getRuntime();
        System.out.println(s + " seconds=" + (System.nanoTime() - t0) / 1e9 + " heapUsedMiB="
                + (rt.totalMemory() - rt.freeMemory()) / (1 << 20) + " heapMaxMiB=" + rt.maxMemory() / (1 << 20));
    }
}
