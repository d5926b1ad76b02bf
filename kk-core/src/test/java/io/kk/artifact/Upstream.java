package io.kk.artifact;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test mirror on loopback: serves byte arrays by path, honours {@code Range: bytes=N-}, and can
 * cut a response short once (a dropped connection) or slow every response down.
 */
final class Upstream implements AutoCloseable, ArtifactFixtures.Mirror {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicLong bytesServed = new AtomicLong();
    volatile long pauseMillisPer64k;
    volatile boolean ignoreRange;

    Upstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "upstream");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    @Override
    public URI put(String path, byte[] content) {
        files.put(path, content);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The next response for {@code path} stops after {@code bytes} bytes of its body. */
    void cutOnce(String path, long bytes) {
        cutAfter.put(path, bytes);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(path + (range == null ? "" : " " + range));
            byte[] content = files.get(path);
            if (content == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(content.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            int from = 0;
            if (ignoreRange) {
                range = null;
            }
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                if (from >= content.length) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
                ex.sendResponseHeaders(206, content.length - from);
            } else {
                ex.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
            }
            Long cut = cutAfter.remove(path);
            long limit = cut == null ? Long.MAX_VALUE : cut;
            OutputStream out = ex.getResponseBody();
            int pos = from;
            long sent = 0;
            while (pos < content.length && sent < limit) {
                int n = (int) Math.min(Math.min(64 * 1024, content.length - pos), limit - sent);
                out.write(content, pos, n);
                out.flush();
                pos += n;
                sent += n;
                bytesServed.addAndGet(n);
                if (pauseMillisPer64k > 0) {
                    try {
                        Thread.sleep(pauseMillisPer64k);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            if (sent >= limit) {
                // Drop the connection mid-body.
                throw new IOException("cut on purpose");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
