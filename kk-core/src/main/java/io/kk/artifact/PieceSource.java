package io.kk.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Where the bytes of one piece of an artifact come from: a mirror over HTTP, a registry blob, a
 * local file, or content kk generated. The writer verifies size and sha256 itself; a source only
 * moves bytes.
 */
public interface PieceSource {

    /**
     * Appends the rest of the piece to {@code partial}, starting at its current length (0 for a new
     * file): a download resumes with an HTTP Range request. Bytes already in {@code partial} are
     * never fetched again unless the source cannot resume, in which case it truncates the file.
     *
     * @param fetched called with the number of new bytes as they arrive (for progress)
     */
    void fetchInto(Path partial, LongConsumer fetched) throws IOException;

    /**
     * A local copy the writer can read directly instead of staging it (a local ISO or chart, a
     * blob already in an OCI layout); empty for remote sources.
     */
    default Optional<Path> local() {
        return Optional.empty();
    }

    /** A short description for messages, e.g. the URL. Never contains credentials. */
    String describe();

    /** The bytes of content kk has in hand ({@link #bytes}), empty for every other source. */
    default Optional<byte[]> content() {
        return Optional.empty();
    }

    /** Content kk has in hand (a generated index.json, oci-layout). */
    static PieceSource bytes(byte[] content, String description) {
        byte[] copy = Arrays.copyOf(content, content.length);
        return new PieceSource() {
            @Override
            public void fetchInto(Path partial, LongConsumer fetched) throws IOException {
                Files.write(partial, copy);
                fetched.accept(copy.length);
            }

            @Override
            public Optional<byte[]> content() {
                return Optional.of(Arrays.copyOf(copy, copy.length));
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** A local file, read in place. */
    static PieceSource file(Path file) {
        return new PieceSource() {
            @Override
            public void fetchInto(Path partial, LongConsumer fetched) throws IOException {
                long have = Files.exists(partial) ? Files.size(partial) : 0;
                try (InputStream in = Files.newInputStream(file);
                        OutputStream out =
                                Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    in.skipNBytes(have);
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        fetched.accept(n);
                    }
                }
            }

            @Override
            public Optional<Path> local() {
                return Optional.of(file);
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }
}
