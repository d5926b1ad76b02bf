package io.kk.export;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kk.artifact.ArtifactPiece;
import io.kk.artifact.ExportPlan;
import io.kk.artifact.HttpPieceSource;
import io.kk.artifact.ImageEntry;
import io.kk.artifact.PieceSource;
import io.kk.config.Manifest;
import io.kk.image.Descriptor;
import io.kk.image.ImageReference;
import io.kk.image.registry.RegistryClient;
import io.kk.image.registry.RegistryCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A completed plan kept beside an export being written ({@code <out>.kkplan}), so that resuming
 * an interrupted export of an unchanged Manifest does not plan again over the network (manifest
 * GETs for every image, checksum files, HEADs, chart indexes): planning is most of what a resume
 * pays besides the bytes it still has to fetch.
 *
 * <p>The plan is keyed by the sha256 of the Manifest file's bytes and of the options that shape
 * it (download mirror and zone, compression, kk version). A different key, a file kk cannot read,
 * or a local file that changed since (size or mtime) means: plan afresh. The writer still verifies
 * every piece's size and sha256, so a stale upstream is refused, never packed.
 */
public final class SavedPlan {
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SavedPlan() {}

    /** Where the plan of an export to {@code output} is kept. */
    public static Path pathFor(Path output) {
        return output.resolveSibling(output.getFileName() + ".kkplan");
    }

    /** The key of a plan: the Manifest file's bytes and every option that changes what is planned. */
    public static String key(byte[] manifestBytes, String... options) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(manifestBytes);
            for (String o : options) {
                d.update((byte) 0);
                d.update(String.valueOf(o).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** One piece as saved; exactly one source kind is set. */
    record SavedPiece(
            String path,
            long size,
            String sha256,
            int mode,
            String url,
            String file,
            Long fileSize,
            Long fileMtime,
            byte[] content,
            String registry,
            String repository,
            String mediaType,
            String digest,
            Long blobSize) {}

    record Saved(
            int format,
            String key,
            List<SavedPiece> pieces,
            List<ImageEntry> images,
            int binaries,
            int isos,
            int charts,
            int imageCount,
            long imageBlobBytes,
            String manifestText) {}

    /**
     * Saves {@code planned} under {@code key} (written aside and moved into place, so a crash leaves
     * the old file or the new one). Returns false, saving nothing, when a piece's source cannot be
     * described (then a resume plans afresh, as before).
     */
    public static boolean save(Path file, String key, ExportPlanner.Planned planned) throws IOException {
        List<SavedPiece> pieces = new ArrayList<>();
        for (ArtifactPiece p : planned.plan().pieces()) {
            SavedPiece s = describe(p);
            if (s == null) {
                Files.deleteIfExists(file);
                return false;
            }
            pieces.add(s);
        }
        Saved saved = new Saved(
                FORMAT,
                key,
                pieces,
                planned.plan().images(),
                planned.binaries(),
                planned.isos(),
                planned.charts(),
                planned.images(),
                planned.imageBlobBytes(),
                planned.plan().manifest());
        io.kk.util.AtomicFiles.write(file, JSON.writeValueAsBytes(saved), null);
        return true;
    }

    /**
     * The plan saved under {@code key}, with this run's creation time and kk version; empty when
     * there is none, it has another key, or a local file it names has changed. The Manifest's
     * redacted text is saved with it (the key covers the Manifest's bytes, so it cannot differ);
     * {@code manifestText} gives it for a plan saved without.
     */
    public static Optional<ExportPlanner.Planned> load(
            Path file,
            String key,
            Manifest manifest,
            Instant created,
            String kkVersion,
            java.util.function.Supplier<String> manifestText) {
        Saved saved;
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            saved = JSON.readValue(file.toFile(), Saved.class);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (saved.format() != FORMAT || !key.equals(saved.key()) || saved.pieces() == null) {
            return Optional.empty();
        }
        HttpClient http = HttpPieceSource.defaultClient();
        RegistryCredentials credentials = ExportPlanner.credentials(manifest);
        Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
        List<ArtifactPiece> pieces = new ArrayList<>();
        try {
            for (SavedPiece s : saved.pieces()) {
                PieceSource source = source(s, http, credentials, clients);
                if (source == null) {
                    return Optional.empty();
                }
                pieces.add(new ArtifactPiece(s.path(), s.size(), s.sha256(), s.mode(), source));
            }
            String text = saved.manifestText() != null ? saved.manifestText() : manifestText.get();
            ExportPlan plan = new ExportPlan(created, kkVersion, text, pieces, saved.images());
            return Optional.of(new ExportPlanner.Planned(
                    plan, saved.binaries(), saved.isos(), saved.charts(), saved.imageCount(), saved.imageBlobBytes()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SavedPiece describe(ArtifactPiece p) throws IOException {
        PieceSource src = p.source();
        String path = p.path();
        if (src instanceof HttpPieceSource h) {
            if (h.uri().getRawUserInfo() != null) {
                return null; // a URL with credentials never goes to disk: that export plans afresh on resume
            }
            return new SavedPiece(
                    path,
                    p.size(),
                    p.sha256(),
                    p.mode(),
                    h.uri().toString(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        if (src instanceof RegistryBlobSource b) {
            Descriptor d = b.blob();
            return new SavedPiece(
                    path,
                    p.size(),
                    p.sha256(),
                    p.mode(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    b.registry(),
                    b.repository(),
                    d.mediaType(),
                    d.digest(),
                    d.size());
        }
        Optional<byte[]> content = src.content();
        if (content.isPresent()) {
            return new SavedPiece(
                    path,
                    p.size(),
                    p.sha256(),
                    p.mode(),
                    null,
                    null,
                    null,
                    null,
                    content.get(),
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        Optional<Path> local = src.local();
        if (local.isPresent()) {
            Path f = local.get().toAbsolutePath();
            return new SavedPiece(
                    path,
                    p.size(),
                    p.sha256(),
                    p.mode(),
                    null,
                    f.toString(),
                    Files.size(f),
                    Files.getLastModifiedTime(f).toMillis(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        return null;
    }

    private static PieceSource source(
            SavedPiece s, HttpClient http, RegistryCredentials credentials, Map<String, RegistryClient> clients)
            throws IOException {
        if (s.url() != null) {
            return new HttpPieceSource(http, URI.create(s.url()));
        }
        if (s.registry() != null) {
            RegistryClient client = clients.computeIfAbsent(
                    ImageReference.normaliseRegistry(s.registry()),
                    r -> new RegistryClient(r, credentials.forHost(r), RegistryClient.Options.DEFAULT));
            return new RegistryBlobSource(
                    client, s.repository(), Descriptor.of(s.mediaType(), s.digest(), s.blobSize()));
        }
        if (s.content() != null) {
            return PieceSource.bytes(s.content(), "generated " + s.path());
        }
        if (s.file() != null) {
            Path f = Path.of(s.file());
            // a local file changed since planning (an ISO replaced in place) is planned again
            if (!Files.isRegularFile(f)
                    || Files.size(f) != s.fileSize()
                    || Files.getLastModifiedTime(f).toMillis() != s.fileMtime()) {
                return null;
            }
            return PieceSource.file(f);
        }
        return null;
    }
}
