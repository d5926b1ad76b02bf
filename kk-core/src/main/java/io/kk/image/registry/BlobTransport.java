package io.kk.image.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 exchange for every registry read (manifests, HEADs, blob GETs) and blob upload PUTs:
 * no auth, no redirects, no retries (the registry client does those). The boundary exists so these
 * skip the JDK HttpClient's machinery (and its start-up) and tests can put faults under it.
 */
public interface BlobTransport {
    /**
     * Sends the request and reads the status line and headers. The response must be closed; its
     * connection is kept for reuse only when its body was read to the end.
     */
    Response exchange(Request request) throws IOException;

    /**
     * @param headers request headers besides Host, Content-Length and Transfer-Encoding
     * @param body the request body, or null
     */
    record Request(String method, URI uri, Map<String, String> headers, Body body) {}

    /** A request body that can be written more than once (a retry on a fresh connection writes it again). */
    interface Body {
        /** The number of bytes {@link #writeTo} writes, or -1 if unknown (then sent chunked). */
        long length();

        void writeTo(OutputStream out) throws IOException;

        /** A file's bytes, read in large blocks. */
        static Body ofFile(Path file, long length) {
            return ofStream(length, () -> Files.newInputStream(file));
        }

        /** The bytes of a stream opened anew for every write. */
        static Body ofStream(long length, StreamOpener opener) {
            return new Body() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public void writeTo(OutputStream out) throws IOException {
                    try (InputStream in = opener.open()) {
                        byte[] buf = new byte[COPY_BUFFER];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            out.write(buf, 0, n);
                        }
                    }
                }
            };
        }
    }

    /** Bytes per read and write when copying a body. */
    int COPY_BUFFER = 1024 * 1024;

    interface StreamOpener {
        InputStream open() throws IOException;
    }

    /**
     * A body that can also be read into a {@link ByteBuffer}: into a direct one straight from the
     * socket where the connection allows (plain HTTP), with no copy through a heap array.
     */
    interface BufferBody {
        /** Reads up to {@code dst.remaining()} bytes; -1 at the end of the body. */
        int read(ByteBuffer dst) throws IOException;
    }

    interface Response extends Closeable {
        int status();

        Optional<String> header(String name);

        /**
         * The body; reads fail with a {@link java.net.SocketTimeoutException} on a stalled server.
         * It may also be a {@link BufferBody}.
         */
        InputStream body();

        @Override
        void close();
    }
}
