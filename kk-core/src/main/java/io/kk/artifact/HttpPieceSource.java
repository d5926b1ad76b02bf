package io.kk.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A piece downloaded over HTTP(S) with resume: a partial file continues with {@code Range: bytes=N-}.
 * A server that ignores the range (200) makes the partial file start over; 416 means the partial
 * file already holds everything. The catalog's downloader may replace this; the writer needs only
 * {@link PieceSource}.
 */
public final class HttpPieceSource implements PieceSource {
    private final HttpClient client;
    private final URI uri;

    public HttpPieceSource(HttpClient client, URI uri) {
        this.client = Objects.requireNonNull(client, "client");
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The URL the bytes come from. */
    public URI uri() {
        return uri;
    }

    /** A client that follows redirects, as mirrors (GitHub releases) need. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * The size the server announces (HEAD, Content-Length), for planning: kk's index is written
     * before any piece is fetched, so every size must be known up front. A wrong announcement is
     * caught when the piece is verified.
     */
    public long probeSize() throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "kk")
                .build();
        HttpResponse<Void> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + describe() + " for its size", e);
        }
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + resp.statusCode() + " from " + describe());
        }
        return resp.headers()
                .firstValueAsLong("Content-Length")
                .orElseThrow(() -> new IOException(describe() + " does not announce its size"));
    }

    @Override
    public void fetchInto(Path partial, LongConsumer fetched) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET().header("User-Agent", "kk");
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + describe(), e);
        }
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            if (status == 416 && have > 0) {
                return;
            }
            boolean append = status == 206 && have > 0;
            if (status != 200 && !append) {
                throw new IOException("HTTP " + status + " from " + describe());
            }
            try (OutputStream out = Files.newOutputStream(
                    partial,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = body.read(buf)) > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.io.InterruptedIOException("fetch of " + describe() + " cancelled");
                    }
                    out.write(buf, 0, n);
                    fetched.accept(n);
                }
            }
        }
    }

    @Override
    public String describe() {
        // Never show credentials that a URL may carry.
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }
}
