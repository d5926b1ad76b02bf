package io.kk.artifact;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kk.error.KkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * kk's index of an artifact, the first entry of its tar ({@code kk/index.json}): what kk wrote it,
 * when, from which manifest, and every file with size and sha256 (the lock that import and deploy
 * verify against).
 *
 * @param formatVersion {@link #FORMAT_VERSION}; readers refuse newer formats
 * @param kkVersion the kk that wrote it
 * @param created the creation time (from the manifest or a flag, so exports are reproducible)
 * @param manifest the Manifest text the artifact was exported from
 * @param files every data file in tar order (kk's own two files excluded)
 * @param images the images of the OCI layout, per platform
 */
@JsonPropertyOrder({"formatVersion", "kkVersion", "created", "manifest", "files", "images"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArtifactIndex(
        int formatVersion,
        String kkVersion,
        String created,
        String manifest,
        List<IndexedFile> files,
        List<ImageEntry> images) {

    public static final int FORMAT_VERSION = 1;
    /** The tar path of the index; always the first entry. */
    public static final String PATH = "kk/index.json";
    /** The tar path of the checksum list; always the second entry. */
    public static final String SUMS_PATH = "kk/SHA256SUMS";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One file in the artifact. */
    @JsonPropertyOrder({"path", "size", "sha256"})
    public record IndexedFile(String path, long size, String sha256) {}

    public ArtifactIndex {
        Objects.requireNonNull(created, "created");
        kkVersion = kkVersion == null ? "" : kkVersion;
        manifest = manifest == null ? "" : manifest;
        files = List.copyOf(files == null ? List.of() : files);
        images = List.copyOf(images == null ? List.of() : images);
    }

    public Instant createdInstant() {
        return Instant.parse(created);
    }

    byte[] toJson() {
        try {
            byte[] body = JSON.writeValueAsBytes(this);
            byte[] withNewline = new byte[body.length + 1];
            System.arraycopy(body, 0, withNewline, 0, body.length);
            withNewline[body.length] = '\n';
            return withNewline;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArtifactIndex fromJson(byte[] json, String where) {
        ArtifactIndex index;
        try {
            index = JSON.readValue(json, ArtifactIndex.class);
        } catch (IOException e) {
            throw KkException.failed(
                    where + ": kk/index.json is not valid: " + e.getMessage(),
                    "the artifact is damaged; export it again",
                    e);
        }
        if (index.formatVersion() > FORMAT_VERSION) {
            throw KkException.invalidInput(
                    where + " has index format " + index.formatVersion() + ", this kk reads up to " + FORMAT_VERSION,
                    "use a newer kk (the artifact was written by kk " + index.kkVersion() + ")");
        }
        return index;
    }

    /**
     * The {@code sha256sum -c} list: every data file, plus kk/index.json, relative to the artifact
     * root.
     */
    byte[] sha256Sums(String indexSha256) {
        StringBuilder b = new StringBuilder();
        b.append(indexSha256).append("  ").append(PATH).append('\n');
        for (IndexedFile f : files) {
            b.append(f.sha256()).append("  ").append(f.path()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public long totalBytes() {
        return files.stream().mapToLong(IndexedFile::size).sum();
    }
}
