package io.kk.artifact;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * How the artifact's tar is compressed. Every piece is written as its own zstd frame or gzip
 * member: a concatenation of frames (members) is one valid stream for every standard reader, and a
 * crashed export can be cut back to the end of any complete piece.
 */
public enum Compression {
    /** zstd, kk's default: fast, and {@code tar --zstd} reads it. */
    ZSTD,
    /** gzip, what KubeKey reads. */
    GZIP,
    /** An uncompressed tar (only ever read, never written by kk). */
    NONE;

    /** The zstd level kk writes; fixed (as gzip's) so that the output is reproducible. */
    static final int ZSTD_LEVEL = 3;

    /**
     * Wraps {@code out} so that everything written until {@link OutputStream#close()} forms one
     * independent frame (member). Closing the returned stream does not close {@code out}.
     */
    OutputStream frame(OutputStream out) throws IOException {
        OutputStream shielded = new NonClosingOutputStream(out);
        return switch (this) {
            case ZSTD -> {
                ZstdOutputStream z = new ZstdOutputStream(shielded, ZSTD_LEVEL);
                z.setChecksum(true);
                yield z;
            }
            case GZIP -> new GZIPOutputStream(shielded, 64 * 1024) {
                {
                    // Most of an artifact is already compressed (layers, tarballs, ISOs): deflate's
                    // fastest level gives nearly the same size at a fraction of the time.
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            case NONE -> shielded;
        };
    }

    /** A stream of the decompressed bytes of all frames (members) in {@code in}. */
    InputStream open(InputStream in) throws IOException {
        return switch (this) {
            case ZSTD -> new ZstdInputStream(in);
            case GZIP -> new GzipCompressorInputStream(in, true);
            case NONE -> in;
        };
    }

    /** Recognises the compression from the first bytes of a file (its magic number). */
    static Compression sniff(byte[] head, int length) {
        if (length >= 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        return NONE;
    }

    /** The usual file name suffix, e.g. for a default output name. */
    public String suffix() {
        return switch (this) {
            case ZSTD -> ".tar.zst";
            case GZIP -> ".tar.gz";
            case NONE -> ".tar";
        };
    }

    private static final class NonClosingOutputStream extends OutputStream {
        private final OutputStream out;

        NonClosingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
