package io.kk.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.KkException;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.MediaTypes;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kk's blob transport against a raw in-process HTTP/1.1 server (raw, so the test decides framing,
 * cuts, stalls and connection reuse byte by byte), alone and under the registry client.
 */
class SocketBlobTransportTest {
    private static final byte[] BLOB = randomBytes(700 * 1024);
    private static final String DIGEST = Digests.sha256(BLOB);
    private static final Descriptor DESC = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, DIGEST, BLOB.length);

    @TempDir
    Path tmp;

    final List<RawServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(RawServer::close);
    }

    private RawServer server(Handler h) throws IOException {
        RawServer s = new RawServer(h);
        servers.add(s);
        return s;
    }

    private static SocketBlobTransport transport(Duration readTimeout) {
        return new SocketBlobTransport(TlsContexts::systemDefault, Duration.ofSeconds(5), readTimeout);
    }

    private static RegistryClient client(RawServer s, RegistryAuth auth, Duration readTimeout) {
        return new RegistryClient(
                s.host(),
                auth,
                new RegistryClient.Options(4, Duration.ofMillis(10), Duration.ofSeconds(5), readTimeout),
                null);
    }

    private static final RegistryAuth PLAIN = new RegistryAuth(null, null, false, true, null);

    @Test
    void keepsTheConnectionAliveAcrossFixedAndChunkedBodies() throws Exception {
        RawServer s = server((req, out) -> {
            if (req.target().equals("/chunked")) {
                respondChunked(out, 200, BLOB, 65_000);
            } else {
                respond(out, 200, Map.of(), BLOB);
            }
            return true;
        });
        SocketBlobTransport t = transport(Duration.ofSeconds(5));
        for (String path : List.of("/fixed", "/chunked", "/fixed", "/chunked")) {
            URI uri = URI.create("http://" + s.host() + path);
            try (BlobTransport.Response r = t.exchange(new BlobTransport.Request("GET", uri, Map.of(), null))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(readAll(r.body())).as(path).isEqualTo(BLOB);
            }
            assertThat(t.idleConnections(uri)).isEqualTo(1);
        }
        assertThat(s.connections.get()).isEqualTo(1);
        assertThat(s.seen).hasSize(4);
    }

    @Test
    void bodiesReadIntoADirectBufferComeWholeAndKeepTheConnectionAlive() throws Exception {
        RawServer s = server((req, out) -> {
            if (req.target().equals("/chunked")) {
                respondChunked(out, 200, BLOB, 65_000);
            } else {
                respond(out, 200, Map.of(), BLOB);
            }
            return true;
        });
        SocketBlobTransport t = transport(Duration.ofSeconds(5));
        for (String path : List.of("/fixed", "/chunked", "/fixed", "/chunked")) {
            URI uri = URI.create("http://" + s.host() + path);
            try (BlobTransport.Response r = t.exchange(new BlobTransport.Request("GET", uri, Map.of(), null))) {
                assertThat(r.body()).isInstanceOf(BlobTransport.BufferBody.class);
                // an odd size, so reads end inside chunks and inside the header buffer's leftover
                assertThat(readAllDirect((BlobTransport.BufferBody) r.body(), 10_007))
                        .as(path)
                        .isEqualTo(BLOB);
            }
            assertThat(t.idleConnections(uri)).isEqualTo(1);
        }
        assertThat(s.connections.get()).isEqualTo(1);
    }

    @Test
    @Timeout(60) // without the read watchdog this read would wait forever
    void aStalledBodyReadIntoADirectBufferTimesOutAndTheDownloadResumes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fullGets = new AtomicInteger();
        RawServer s = server((req, out) -> {
            String range = req.headers().get("range");
            if (range != null) {
                int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                byte[] rest = java.util.Arrays.copyOfRange(BLOB, from, BLOB.length);
                respond(out, 206, Map.of("Content-Range", "bytes " + from + "-" + (BLOB.length - 1) + "/*"), rest);
                return true;
            }
            fullGets.incrementAndGet();
            writeHead(out, 200, Map.of("Content-Length", String.valueOf(BLOB.length)));
            out.write(BLOB, 0, 300_000);
            out.flush();
            await(release); // stalls: only kk's read watchdog can end this read
            return false;
        });
        try {
            SocketBlobTransport t = transport(Duration.ofMillis(300));
            try (BlobTransport.Response r = t.exchange(
                    new BlobTransport.Request("GET", URI.create("http://" + s.host() + "/b"), Map.of(), null))) {
                assertThatThrownBy(() -> readAllDirect((BlobTransport.BufferBody) r.body(), 64 * 1024))
                        .isInstanceOf(SocketTimeoutException.class);
            }
            RegistryClient c = client(s, PLAIN, Duration.ofMillis(300));
            Path part = tmp.resolve("stalled.part");
            c.downloadBlob("lib/app", DESC, part, n -> {});
            assertThat(Files.readAllBytes(part)).isEqualTo(BLOB);
            assertThat(fullGets.get()).isEqualTo(2);
            assertThat(s.seen.get(s.seen.size() - 1).headers().get("range")).isEqualTo("bytes=300000-");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aConnectionWhoseBodyWasNotReadIsNotReused() throws Exception {
        RawServer s = server((req, out) -> {
            respond(out, 200, Map.of(), BLOB);
            return true;
        });
        SocketBlobTransport t = transport(Duration.ofSeconds(5));
        URI uri = URI.create("http://" + s.host() + "/blob");
        try (BlobTransport.Response r = t.exchange(new BlobTransport.Request("GET", uri, Map.of(), null))) {
            assertThat(r.body().read(new byte[1000])).isPositive();
        }
        assertThat(t.idleConnections(uri)).isZero();
        try (BlobTransport.Response r = t.exchange(new BlobTransport.Request("GET", uri, Map.of(), null))) {
            assertThat(readAll(r.body())).isEqualTo(BLOB);
        }
        assertThat(s.connections.get()).isEqualTo(2);
    }

    @Test
    void aStaleKeptConnectionIsReplacedByAFreshOne() throws Exception {
        AtomicInteger served = new AtomicInteger();
        RawServer s = server((req, out) -> {
            respond(out, 200, Map.of(), BLOB);
            // the server drops the connection after each answer without saying so
            return served.incrementAndGet() < 0;
        });
        SocketBlobTransport t = transport(Duration.ofSeconds(5));
        URI uri = URI.create("http://" + s.host() + "/blob");
        for (int i = 0; i < 3; i++) {
            try (BlobTransport.Response r = t.exchange(new BlobTransport.Request("GET", uri, Map.of(), null))) {
                assertThat(readAll(r.body())).isEqualTo(BLOB);
            }
        }
        assertThat(served.get()).isEqualTo(3);
    }

    @Test
    void aStalledBodyTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RawServer s = server((req, out) -> {
            writeHead(out, 200, Map.of("Content-Length", String.valueOf(BLOB.length)));
            out.write(BLOB, 0, 1000);
            out.flush();
            await(release);
            return false;
        });
        SocketBlobTransport t = transport(Duration.ofMillis(300));
        try (BlobTransport.Response r =
                t.exchange(new BlobTransport.Request("GET", URI.create("http://" + s.host() + "/b"), Map.of(), null))) {
            assertThatThrownBy(() -> readAll(r.body())).isInstanceOf(SocketTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aCutBodyIsResumedWithRangeAndAStalledOneToo() throws Exception {
        AtomicInteger fullGets = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        RawServer s = server((req, out) -> {
            String range = req.headers().get("range");
            if (range != null) {
                int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                byte[] rest = java.util.Arrays.copyOfRange(BLOB, from, BLOB.length);
                respond(out, 206, Map.of("Content-Range", "bytes " + from + "-" + (BLOB.length - 1) + "/*"), rest);
                return true;
            }
            int n = fullGets.incrementAndGet();
            writeHead(out, 200, Map.of("Content-Length", String.valueOf(BLOB.length)));
            out.write(BLOB, 0, n == 1 ? 200_000 : 300_000);
            out.flush();
            if (n == 2) {
                await(release); // stalls: the client's read timeout must fire
            }
            return false; // the first is cut: the connection drops mid-body
        });
        try {
            RegistryClient c = client(s, PLAIN, Duration.ofMillis(400));
            Path part = tmp.resolve("cut.part");
            c.downloadBlob("lib/app", DESC, part, n -> {});
            assertThat(Files.readAllBytes(part)).isEqualTo(BLOB);
            assertThat(s.seen.get(1).headers().get("range")).isEqualTo("bytes=200000-");

            Path stalled = tmp.resolve("stalled.part");
            try (InputStream in = c.openBlob("lib/app", DESC)) {
                Files.copy(in, stalled);
            }
            assertThat(Files.readAllBytes(stalled)).isEqualTo(BLOB);
            assertThat(s.seen.get(3).headers().get("range")).isEqualTo("bytes=300000-");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aCorruptedBlobIsRefusedAndItsPartFileDeleted() throws Exception {
        byte[] bad = BLOB.clone();
        bad[12345] ^= 0x5a;
        RawServer s = server((req, out) -> {
            respondChunked(out, 200, bad, 100_000);
            return true;
        });
        RegistryClient c = client(s, PLAIN, Duration.ofSeconds(5));
        Path part = tmp.resolve("bad.part");
        assertThatThrownBy(() -> c.downloadBlob("lib/app", DESC, part, n -> {}))
                .isInstanceOf(KkException.class)
                .hasMessageContaining(DIGEST)
                .hasMessageContaining("refused");
        assertThat(part).doesNotExist();
    }

    @Test
    void aRedirectToAnotherHostGetsNoAuthorization() throws Exception {
        RawServer storage = server((req, out) -> {
            respond(out, 200, Map.of(), BLOB);
            return true;
        });
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
        RawServer registry = server((req, out) -> {
            if (!basic.equals(req.headers().get("authorization"))) {
                respond(out, 401, Map.of("WWW-Authenticate", "Basic realm=\"r\""), new byte[0]);
            } else if (req.target().startsWith("/v2/lib/app/blobs/")) {
                respond(out, 307, Map.of("Location", "http://" + storage.host() + "/store/blob"), new byte[0]);
            } else {
                respond(out, 200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
            }
            return true;
        });
        RegistryClient c = client(registry, new RegistryAuth("bob", "pw", false, true, null), Duration.ofSeconds(5));
        Path part = tmp.resolve("redirected.part");
        c.downloadBlob("lib/app", DESC, part, n -> {});
        assertThat(Files.readAllBytes(part)).isEqualTo(BLOB);
        assertThat(registry.seen.get(registry.seen.size() - 1).headers().get("authorization"))
                .isEqualTo(basic);
        assertThat(storage.seen).hasSize(1);
        assertThat(storage.seen.get(0).headers()).doesNotContainKey("authorization");
    }

    @Test
    void anUploadIsOnePutWithContentLengthStreamedFromTheFile() throws Exception {
        Path file = tmp.resolve("blob");
        Files.write(file, BLOB);
        RawServer s = server((req, out) -> {
            if (req.method().equals("POST")) {
                respond(out, 202, Map.of("Location", "/v2/lib/app/blobs/uploads/u-1?_state=x"), new byte[0]);
            } else if (req.method().equals("PUT")) {
                boolean ok = Digests.sha256(req.body()).equals(DIGEST);
                respond(out, ok ? 201 : 400, Map.of(), new byte[0]);
            } else {
                respond(out, 404, Map.of(), new byte[0]);
            }
            return true;
        });
        RegistryClient c = client(s, PLAIN, Duration.ofSeconds(5));
        c.uploadBlob("lib/app", DESC, BlobTransport.Body.ofFile(file, BLOB.length));
        RawServer.Req put = s.seen.stream()
                .filter(r -> r.method().equals("PUT"))
                .findFirst()
                .orElseThrow();
        assertThat(put.target()).startsWith("/v2/lib/app/blobs/uploads/u-1?_state=x&digest=sha256%3A");
        assertThat(put.headers().get("content-length")).isEqualTo(String.valueOf(BLOB.length));
        assertThat(put.headers()).doesNotContainKey("transfer-encoding");
        assertThat(put.body()).isEqualTo(BLOB);
    }

    @Test
    void aBodyOfUnknownLengthIsSentChunked() throws Exception {
        RawServer s = server((req, out) -> {
            respond(out, Digests.sha256(req.body()).equals(DIGEST) ? 201 : 400, Map.of(), new byte[0]);
            return true;
        });
        SocketBlobTransport t = transport(Duration.ofSeconds(5));
        BlobTransport.Body body = BlobTransport.Body.ofStream(-1, () -> new java.io.ByteArrayInputStream(BLOB));
        try (BlobTransport.Response r = t.exchange(
                new BlobTransport.Request("PUT", URI.create("http://" + s.host() + "/up"), Map.of(), body))) {
            assertThat(r.status()).isEqualTo(201);
        }
        assertThat(s.seen.get(0).headers().get("transfer-encoding")).isEqualTo("chunked");
    }

    // ---- a raw HTTP/1.1 server ----

    interface Handler {
        /** Writes the whole answer; returns whether to keep the connection for another request. */
        boolean handle(RawServer.Req req, OutputStream out) throws IOException;
    }

    static final class RawServer implements AutoCloseable {
        record Req(String method, String target, Map<String, String> headers, byte[] body) {}

        final ServerSocket socket;
        final Handler handler;
        final AtomicInteger connections = new AtomicInteger();
        final List<Req> seen = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();

        RawServer(Handler handler) throws IOException {
            this.handler = handler;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "raw-http-accept");
            t.setDaemon(true);
            t.start();
        }

        String host() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s), "raw-http");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    String line = readLine(in);
                    if (line == null) {
                        return;
                    }
                    String[] parts = line.split(" ");
                    Map<String, String> headers = new TreeMap<>();
                    for (String h; !(h = readLine(in)).isEmpty(); ) {
                        int colon = h.indexOf(':');
                        headers.put(
                                h.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                                h.substring(colon + 1).trim());
                    }
                    byte[] body;
                    if ("chunked".equals(headers.get("transfer-encoding"))) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        for (int n; (n = Integer.parseInt(readLine(in), 16)) > 0; ) {
                            b.write(in.readNBytes(n));
                            readLine(in);
                        }
                        readLine(in);
                        body = b.toByteArray();
                    } else {
                        body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                    }
                    Req req = new Req(parts[0], parts[1], headers, body);
                    seen.add(req);
                    if (!handler.handle(req, out)) {
                        return;
                    }
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // the client went away
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    return sb.length() == 0 ? null : sb.toString();
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    static void writeHead(OutputStream out, int status, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static void respond(OutputStream out, int status, Map<String, String> headers, byte[] body) throws IOException {
        Map<String, String> h = new TreeMap<>(headers);
        h.put("Content-Length", String.valueOf(body.length));
        writeHead(out, status, h);
        out.write(body);
        out.flush();
    }

    static void respondChunked(OutputStream out, int status, byte[] body, int chunk) throws IOException {
        writeHead(out, status, Map.of("Transfer-Encoding", "chunked"));
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            out.write((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, off, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static byte[] readAllDirect(BlobTransport.BufferBody body, int bufferSize) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(bufferSize);
        for (int n; (n = body.read(buf)) >= 0; ) {
            buf.flip();
            byte[] a = new byte[buf.remaining()];
            buf.get(a);
            b.write(a, 0, a.length);
            buf.clear();
            assertThat(n).isEqualTo(a.length);
        }
        return b.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[300_000];
        for (int n; (n = in.read(buf)) >= 0; ) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }
}
