package io.kk.image.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 straight over a {@link SocketChannel} (plain HTTP) or an {@link SSLSocket}, for registry
 * reads and blob bodies: the caller's buffer is filled from the socket directly (no per-16-KiB
 * buffer hand-offs between threads, as in the JDK client), Content-Length, chunked and until-close
 * bodies, a keep-alive pool per scheme://host:port (a connection goes back only once its body was
 * read to the end), and the read timeout as the stalled-body timeout. Thread-safe.
 *
 * <p>Over plain HTTP a body read into a direct {@link ByteBuffer} ({@link BlobTransport.BufferBody})
 * goes from the kernel into that buffer with no copy in between, and from there to a file with none
 * either; a socket stream copies every byte twice on the way (into a heap array and out of it
 * again), ~0.15 CPU-s per GB. A blocking channel read has no timeout of its own, so {@link
 * ReadWatchdog} closes a connection whose read has waited past the read timeout.
 */
final class SocketBlobTransport implements BlobTransport {
    /** Idle connections kept per scheme://host:port; more are closed when returned. */
    static final int MAX_IDLE_PER_HOST = 32;
    /** An idle connection older than this is not reused (servers drop idle ones; a stale one costs a retry). */
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(30).toNanos();

    private static final int HEADER_BUFFER = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int WRITE_BUFFER = 256 * 1024;

    private final Supplier<SSLContext> tls;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Map<String, Deque<Conn>> idle = new ConcurrentHashMap<>();
    private volatile SSLContext sslContext;

    /**
     * @param tls the TLS context for https URIs (asked once, on the first https connection)
     * @param readTimeout the longest wait for the next bytes of a response (headers or body)
     */
    SocketBlobTransport(Supplier<SSLContext> tls, Duration connectTimeout, Duration readTimeout) {
        this.tls = tls;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, readTimeout.toMillis()));
    }

    /** Idle connections held for {@code scheme://host:port} (for tests of reuse). */
    int idleConnections(URI uri) {
        Deque<Conn> d = idle.get(key(uri));
        return d == null ? 0 : d.size();
    }

    @Override
    public Response exchange(Request request) throws IOException {
        String key = key(request.uri());
        for (int fresh = 0; ; fresh++) {
            Conn c = fresh == 0 ? takeIdle(key) : null;
            boolean reused = c != null;
            if (c == null) {
                c = open(request.uri(), key);
            }
            try {
                c.writeRequest(request);
                return c.readResponse(request.method());
            } catch (IOException e) {
                c.closeQuietly();
                // a kept-alive connection the server had already closed: once more on a fresh one
                if (reused && !c.sawResponseBytes && !c.sourceFailed) {
                    continue;
                }
                throw e;
            } catch (RuntimeException | Error e) {
                c.closeQuietly();
                throw e;
            }
        }
    }

    private Conn takeIdle(String key) {
        Deque<Conn> d = idle.get(key);
        if (d == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Conn c; (c = d.pollFirst()) != null; ) {
            if (now - c.idleSince < MAX_IDLE_NANOS && !c.socket.isClosed()) {
                return c;
            }
            c.closeQuietly();
        }
        return null;
    }

    private void release(Conn c) {
        Deque<Conn> d = idle.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>());
        if (d.size() >= MAX_IDLE_PER_HOST) {
            c.closeQuietly();
            return;
        }
        c.idleSince = System.nanoTime();
        c.sawResponseBytes = false;
        d.addFirst(c);
    }

    private static String key(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":"
                + port(uri);
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private Conn open(URI uri, String key) throws IOException {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme " + scheme);
        }
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = port(uri);
        SocketChannel channel = scheme.equals("http") ? SocketChannel.open() : null;
        // the channel's socket view connects, and reads headers, with timeouts
        Socket s = channel != null ? channel.socket() : new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            s.connect(new InetSocketAddress(bare, port), connectTimeoutMillis);
            if (scheme.equals("https")) {
                SSLSocket ssl = (SSLSocket) sslContext().getSocketFactory().createSocket(s, bare, port, true);
                SSLParameters p = ssl.getSSLParameters();
                // host name checked as the JDK client does (an insecure trust manager skips it)
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
                ssl.setSoTimeout(readTimeoutMillis);
                ssl.startHandshake();
                s = ssl;
            }
            return new Conn(key, s, channel, hostHeader(uri));
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connect failure is what matters
            }
            throw e;
        }
    }

    private SSLContext sslContext() {
        SSLContext c = sslContext;
        if (c == null) {
            c = tls.get();
            sslContext = c;
        }
        return c;
    }

    private static String hostHeader(URI uri) {
        boolean defaultPort = uri.getPort() < 0
                || (uri.getPort() == 80 && "http".equalsIgnoreCase(uri.getScheme()))
                || (uri.getPort() == 443 && "https".equalsIgnoreCase(uri.getScheme()));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** One connection: a small header buffer in front of the socket; bodies are read past it into the caller's array. */
    private final class Conn implements ReadWatchdog.Watched {
        final String key;
        final Socket socket;
        /** The plain connection's channel (bodies into direct buffers), or null for TLS. */
        final SocketChannel channel;

        final String hostHeader;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[HEADER_BUFFER];
        int pos;
        int lim;
        long idleSince;
        boolean sawResponseBytes;
        boolean sourceFailed;
        /** nanoTime after which the channel read in progress is given up; 0 when none is. */
        volatile long readDeadline;

        volatile boolean timedOut;

        Conn(String key, Socket socket, SocketChannel channel, String hostHeader) throws IOException {
            this.key = key;
            this.socket = socket;
            this.channel = channel;
            this.hostHeader = hostHeader;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void writeRequest(Request r) throws IOException {
            URI u = r.uri();
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (u.getRawQuery() != null) {
                path += "?" + u.getRawQuery();
            }
            StringBuilder h = new StringBuilder(256)
                    .append(r.method())
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(hostHeader)
                    .append("\r\nUser-Agent: kk\r\n");
            r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            long length = r.body() == null ? 0 : r.body().length();
            if (length >= 0) {
                if (r.body() != null || r.method().equals("PUT") || r.method().equals("POST")) {
                    h.append("Content-Length: ").append(length).append("\r\n");
                }
            } else {
                h.append("Transfer-Encoding: chunked\r\n");
            }
            h.append("\r\n");
            byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (r.body() == null) {
                out.write(head);
                out.flush();
                return;
            }
            BufferedOut o = new BufferedOut(out);
            o.write(head);
            CountingOut counted = new CountingOut(length >= 0 ? o : new ChunkedOut(o), length);
            try {
                r.body().writeTo(counted);
            } catch (IOException e) {
                // the body's own source failed, not this connection: no retry on a fresh one
                sourceFailed = !counted.socketFailed;
                throw e;
            }
            if (length >= 0 && counted.count != length) {
                sourceFailed = true;
                throw new IOException("the request body had " + counted.count + " bytes, not " + length);
            }
            if (length < 0) {
                o.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            o.flush();
        }

        ResponseImpl readResponse(String method) throws IOException {
            while (true) {
                String status = readLine();
                sawResponseBytes = true;
                if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                    throw new IOException("not an HTTP/1.x response: " + abbreviate(status));
                }
                int code;
                try {
                    code = Integer.parseInt(status.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new IOException("bad HTTP status line: " + abbreviate(status));
                }
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                int total = 0;
                for (String line; !(line = readLine()).isEmpty(); ) {
                    total += line.length();
                    if (total > MAX_HEADER_BYTES) {
                        throw new IOException("response headers too large");
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(
                                line.substring(0, colon).trim(),
                                line.substring(colon + 1).trim());
                    }
                }
                if (code >= 100 && code < 200) {
                    continue; // 100 Continue and other interim answers
                }
                boolean keepAlive = status.startsWith("HTTP/1.1")
                        && !"close".equalsIgnoreCase(headers.getOrDefault("Connection", ""));
                return new ResponseImpl(this, code, headers, method, keepAlive);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == lim && fill() < 0) {
                    throw new EOFException("the connection closed in the response headers");
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    int n = sb.length();
                    if (n > 0 && sb.charAt(n - 1) == '\r') {
                        sb.setLength(n - 1);
                    }
                    return sb.toString();
                }
                if (sb.length() > MAX_HEADER_BYTES) {
                    throw new IOException("response header line too long");
                }
                sb.append((char) (b & 0xff));
            }
        }

        private int fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            pos = 0;
            lim = Math.max(0, n);
            return n;
        }

        /** Reads body bytes: what the header buffer holds first, then straight from the socket. */
        int readRaw(byte[] b, int off, int len) throws IOException {
            if (pos < lim) {
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }

        /** As {@link #readRaw(byte[], int, int)}, into {@code dst} up to its limit. */
        int readRaw(ByteBuffer dst) throws IOException {
            if (pos < lim) {
                int n = Math.min(dst.remaining(), lim - pos);
                dst.put(buf, pos, n);
                pos += n;
                return n;
            }
            if (channel == null) {
                // TLS: the socket's stream decrypts into the header buffer, which is free here
                int n = in.read(buf, 0, Math.min(buf.length, dst.remaining()));
                if (n > 0) {
                    dst.put(buf, 0, n);
                }
                return n;
            }
            readDeadline = System.nanoTime() + readTimeoutMillis * 1_000_000L;
            ReadWatchdog.watch(this);
            try {
                return channel.read(dst);
            } catch (ClosedChannelException e) {
                if (timedOut) {
                    throw new SocketTimeoutException("no bytes for " + readTimeoutMillis + " ms");
                }
                throw e;
            } finally {
                readDeadline = 0;
                ReadWatchdog.unwatch(this);
            }
        }

        @Override
        public long readDeadline() {
            return readDeadline;
        }

        @Override
        public void giveUp() {
            timedOut = true;
            closeQuietly();
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do about a failing close
            }
        }
    }

    private final class ResponseImpl implements Response {
        private final Conn conn;
        private final int status;
        private final Map<String, String> headers;
        private final boolean keepAlive;
        private final BodyStream body;
        private boolean closed;

        ResponseImpl(Conn conn, int status, Map<String, String> headers, String method, boolean keepAlive)
                throws IOException {
            this.conn = conn;
            this.status = status;
            this.headers = headers;
            String te = headers.get("Transfer-Encoding");
            String cl = headers.get("Content-Length");
            if (method.equals("HEAD") || status == 204 || status == 304) {
                this.body = new BodyStream(BodyStream.FIXED, 0);
                this.keepAlive = keepAlive;
            } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                this.body = new BodyStream(BodyStream.CHUNKED, 0);
                this.keepAlive = keepAlive;
            } else if (cl != null) {
                long n;
                try {
                    n = Long.parseLong(cl.trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length " + abbreviate(cl));
                }
                this.body = new BodyStream(BodyStream.FIXED, n);
                this.keepAlive = keepAlive;
            } else {
                this.body = new BodyStream(BodyStream.UNTIL_CLOSE, 0);
                this.keepAlive = false;
            }
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (keepAlive && body.complete) {
                release(conn);
            } else {
                conn.closeQuietly();
            }
        }

        /** The body, read into the caller's array or buffer straight from the socket. */
        private final class BodyStream extends InputStream implements BufferBody {
            static final int FIXED = 0;
            static final int CHUNKED = 1;
            static final int UNTIL_CLOSE = 2;

            private final int kind;
            /** FIXED: bytes left; CHUNKED: bytes left in the current chunk. */
            private long remaining;

            private boolean complete;
            private boolean started;

            BodyStream(int kind, long length) {
                this.kind = kind;
                this.remaining = length;
                this.complete = kind == FIXED && length == 0;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("the response is closed");
                }
                if (len == 0) {
                    return 0;
                }
                if (complete) {
                    return -1;
                }
                switch (kind) {
                    case FIXED:
                        return readFixed(b, off, len);
                    case CHUNKED:
                        return readChunked(b, off, len);
                    default:
                        int n = conn.readRaw(b, off, len);
                        if (n < 0) {
                            complete = true;
                        }
                        return n;
                }
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (closed) {
                    throw new IOException("the response is closed");
                }
                if (!dst.hasRemaining()) {
                    return 0;
                }
                if (complete) {
                    return -1;
                }
                if (kind == UNTIL_CLOSE) {
                    int n = conn.readRaw(dst);
                    if (n < 0) {
                        complete = true;
                    }
                    return n;
                }
                if (kind == CHUNKED && remaining == 0 && !nextChunk()) {
                    return -1;
                }
                int limit = dst.limit();
                if (dst.remaining() > remaining) {
                    dst.limit(dst.position() + (int) remaining);
                }
                int n;
                try {
                    n = conn.readRaw(dst);
                } finally {
                    dst.limit(limit);
                }
                if (n < 0) {
                    throw new EOFException(
                            kind == FIXED
                                    ? "the connection closed with " + remaining + " bytes of the body unread"
                                    : "the connection closed inside a chunk");
                }
                remaining -= n;
                if (kind == FIXED && remaining == 0) {
                    complete = true;
                }
                return n;
            }

            private int readFixed(byte[] b, int off, int len) throws IOException {
                int n = conn.readRaw(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the connection closed with " + remaining + " bytes of the body unread");
                }
                remaining -= n;
                if (remaining == 0) {
                    complete = true;
                }
                return n;
            }

            private int readChunked(byte[] b, int off, int len) throws IOException {
                if (remaining == 0 && !nextChunk()) {
                    return -1;
                }
                int n = conn.readRaw(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("the connection closed inside a chunk");
                }
                remaining -= n;
                return n;
            }

            /** Reads the next chunk-size line; false (and complete) after the last chunk and its trailers. */
            private boolean nextChunk() throws IOException {
                if (started) {
                    endOfChunk();
                }
                started = true;
                String line = conn.readLine();
                int semi = line.indexOf(';');
                String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
                try {
                    remaining = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size " + abbreviate(line));
                }
                if (remaining < 0) {
                    throw new IOException("bad chunk size " + abbreviate(line));
                }
                if (remaining == 0) {
                    // trailers up to the empty line
                    while (!conn.readLine().isEmpty()) {
                        // ignored
                    }
                    complete = true;
                    return false;
                }
                return true;
            }

            private void endOfChunk() throws IOException {
                if (!conn.readLine().isEmpty()) {
                    throw new IOException("a chunk did not end with CRLF");
                }
            }

            @Override
            public int available() {
                return kind == UNTIL_CLOSE ? 0 : (int) Math.min(remaining, conn.lim - conn.pos);
            }

            @Override
            public void close() {
                ResponseImpl.this.close();
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** A plain buffer in front of the socket: small writes (headers, chunk lines) go together, large ones straight through. */
    private static final class BufferedOut extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[WRITE_BUFFER];
        private int n;

        BufferedOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                flushBuffer();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= buf.length) {
                flushBuffer();
                out.write(b, off, len);
                return;
            }
            if (len > buf.length - n) {
                flushBuffer();
            }
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        private void flushBuffer() throws IOException {
            if (n > 0) {
                out.write(buf, 0, n);
                n = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
            out.flush();
        }
    }

    /** Counts the body bytes (a body longer than announced would corrupt the connection) and notes socket failures. */
    private static final class CountingOut extends OutputStream {
        private final OutputStream out;
        private final long limit;
        long count;
        boolean socketFailed;

        /** @param limit the announced length, or -1 for none */
        CountingOut(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (limit >= 0 && count + len > limit) {
                throw new IOException("the request body is longer than its " + limit + " bytes");
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                socketFailed = true;
                throw e;
            }
            count += len;
        }

        @Override
        public void close() {
            // the connection stays open for the response
        }
    }

    /** Chunked transfer coding for a body of unknown length (the caller writes the last chunk). */
    private static final class ChunkedOut extends OutputStream {
        private final OutputStream out;

        ChunkedOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write(CRLF);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
