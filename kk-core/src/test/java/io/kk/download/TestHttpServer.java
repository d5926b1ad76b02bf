package io.kk.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process HTTP server on a loopback address and a free port, for fault injection: each path
 * gets a handler, and every request is recorded (path, Range, Authorization).
 */
public final class TestHttpServer implements AutoCloseable {
    public record Request(String path, String range, String authorization) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String host;
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();

    public TestHttpServer() {
        this("127.0.0.1");
    }

    public TestHttpServer(String loopbackAddress) {
        try {
            this.host = loopbackAddress;
            this.server = HttpServer.create(new InetSocketAddress(loopbackAddress, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            synchronized (requests) {
                requests.add(new Request(
                        path,
                        exchange.getRequestHeaders().getFirst("Range"),
                        exchange.getRequestHeaders().getFirst("Authorization")));
            }
            HttpHandler handler = routes.get(path);
            try {
                if (handler == null) {
                    send(exchange, 404, new byte[0]);
                } else {
                    handler.handle(exchange);
                }
            } finally {
                exchange.close();
            }
        });
        // One thread per exchange: a handler that stalls must not block the next request.
        server.setExecutor(executor);
        server.start();
    }

    public TestHttpServer route(String path, HttpHandler handler) {
        routes.put(path, handler);
        return this;
    }

    /** Serves {@code body} with 200 at {@code path}, honouring single Range requests with 206. */
    public TestHttpServer file(String path, byte[] body) {
        return route(path, exchange -> serveFile(exchange, body));
    }

    public TestHttpServer text(String path, String body) {
        return file(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public URI url(String path) {
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
    }

    public String base() {
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public static void serveFile(HttpExchange exchange, byte[] body) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.matches("bytes=\\d+-")) {
            int from = Integer.parseInt(range.substring(6, range.length() - 1));
            exchange.getResponseHeaders()
                    .set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, from, body.length - from);
            }
            return;
        }
        send(exchange, 200, body);
    }
}
