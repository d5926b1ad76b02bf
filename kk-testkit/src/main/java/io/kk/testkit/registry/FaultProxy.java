package io.kk.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process HTTP proxy in front of a plain registry that injects faults: a blob cut after N
 * bytes (once), a blob that stalls after N bytes (once: the connection stays open, nothing more is
 * sent until the client gives up or the proxy closes), a corrupted blob (a flipped byte, every
 * time), and storms of 503 answers. It records
 * every request (method, path, Range) so tests can see what the client did.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Set<String> HOP =
            Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade", "keep-alive");

    public record Seen(String method, String path, String range) {}

    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallOnce = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallOnceAt = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private volatile String stormPath;
    private final AtomicInteger stormLeft = new AtomicInteger();

    private FaultProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy to {@code http://<upstreamHost>}. */
    public static FaultProxy to(String upstreamHost) {
        try {
            return new FaultProxy(upstreamHost);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next full GET of this blob sends only {@code bytes} of it, then drops the connection. */
    public void cutOnce(String digest, int bytes) {
        cutOnce.put(digest, bytes);
    }

    /** The next full GET of this blob sends {@code bytes} of it, then nothing more (connection kept open). */
    public void stallOnce(String digest, int bytes) {
        stallOnce.put(digest, bytes);
    }

    /**
     * The next full GET of a path ending with {@code pathEnd} (any file, e.g. a release tarball
     * behind a download mirror, or {@code /manifests/v1}) sends {@code bytes} of it, then nothing
     * more (connection kept open).
     */
    public void stallOnceAt(String pathEnd, int bytes) {
        stallOnceAt.put(pathEnd, bytes);
    }

    /** Every GET of this blob has one byte flipped. */
    public void corrupt(String digest) {
        corrupt.add(digest);
    }

    /** The next {@code count} requests whose path contains {@code pathPart} get 503. */
    public void storm(String pathPart, int count) {
        stormPath = pathPart;
        stormLeft.set(count);
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        String range = ex.getRequestHeaders().getFirst("Range");
        seen.add(new Seen(ex.getRequestMethod(), path, range));
        String sp = stormPath;
        if (sp != null && path.contains(sp) && stormLeft.getAndDecrement() > 0) {
            ex.sendResponseHeaders(503, -1);
            ex.close();
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://" + upstream + path + (query == null ? "" : "?" + query)))
                .method(
                        ex.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                ex.getResponseHeaders().put(k, vs);
            }
        });
        byte[] out = r.body();
        String digest = path.contains("/blobs/sha256:") ? path.substring(path.lastIndexOf('/') + 1) : null;
        boolean isGet = ex.getRequestMethod().equals("GET");
        if (isGet && digest != null && corrupt.contains(digest) && out.length > 0) {
            out = out.clone();
            out[out.length / 2] ^= 0x5a;
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        Integer stallAt = null;
        if (isGet && range == null && r.statusCode() == 200) {
            for (String end : stallOnceAt.keySet()) {
                if (path.endsWith(end)) {
                    stallAt = stallOnceAt.remove(end);
                    break;
                }
            }
        }
        if (isGet && (digest != null || stallAt != null) && range == null && r.statusCode() == 200) {
            Integer stall = stallAt != null ? stallAt : stallOnce.remove(digest);
            if (stall != null) {
                // the headers promise the whole blob; part of it comes, then silence
                ex.sendResponseHeaders(200, out.length);
                OutputStream os = ex.getResponseBody();
                os.write(out, 0, Math.min(stall, out.length));
                os.flush();
                try {
                    closed.await(2, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            Integer cut = digest == null ? null : cutOnce.remove(digest);
            if (cut != null) {
                // the body ends early (chunked, so the server can end it cleanly): the client gets
                // fewer bytes than the blob's size, as when a connection drops mid-layer
                ex.sendResponseHeaders(200, 0);
                OutputStream os = ex.getResponseBody();
                os.write(out, 0, Math.min(cut, out.length));
                os.close();
                ex.close();
                return;
            }
        }
        long len = head ? -1 : (out.length == 0 ? -1 : out.length);
        if (head) {
            r.headers().firstValue("Content-Length").ifPresent(v -> ex.getResponseHeaders()
                    .set("Content-Length", v));
        }
        ex.sendResponseHeaders(r.statusCode(), len);
        if (!head && out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
