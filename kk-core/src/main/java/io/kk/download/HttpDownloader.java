package io.kk.download;

import io.kk.error.KkException;
import io.kk.event.EventSink;
import io.kk.event.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link Downloader} over the JDK {@link HttpClient}.
 *
 * <p>A download goes to {@code <target>.part} beside the target while its sha256 is computed, and
 * is renamed into place only when the digest matches. A partial file left by a cut connection is
 * resumed with an HTTP Range request (the server must answer 206 with the matching Content-Range,
 * else the download restarts). Connection failures, 429 and 5xx answers are retried with
 * exponential backoff, a bounded number of times. Redirects are followed here, not by the client,
 * so that an Authorization header is only ever sent to the host it was configured for.
 */
public final class HttpDownloader implements Downloader {
    /** How retries wait; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_SMALL_BYTES = 1 << 20;
    private static final long PROGRESS_STEP = 1 << 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kk-download-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Duration stallTimeout;
    private final Sleeper sleeper;
    private final Map<String, String> authorizations;

    private HttpDownloader(Builder b) {
        HttpClient.Builder cb = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout);
        if (b.sslContext != null) {
            cb.sslContext(b.sslContext);
        }
        this.client = cb.build();
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.requestTimeout = b.requestTimeout;
        this.stallTimeout = b.stallTimeout;
        this.sleeper = b.sleeper;
        this.authorizations = Map.copyOf(b.authorizations);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A downloader with the defaults: 5 attempts, backoff from 1 s up to 30 s, JDK trust store. */
    public static HttpDownloader standard() {
        return builder().build();
    }

    @Override
    public FetchResult fetch(URI url, Path target, String expectedSha256, EventSink events) {
        String expected = expectedSha256 == null ? null : expectedSha256.toLowerCase(Locale.ROOT);
        String task = "download/" + target.getFileName();
        String label = target.getFileName().toString();
        try {
            return transfer(url, target, expected, task, label, events);
        } catch (RuntimeException e) {
            // A bar always reaches its end, failed downloads included.
            events.emit(new Progress(task, label, "B", 0, -1, true));
            throw e;
        }
    }

    private FetchResult transfer(URI url, Path target, String expected, String task, String label, EventSink events) {
        try {
            if (expected != null && Files.isRegularFile(target)) {
                String actual = sha256(target);
                if (actual.equals(expected)) {
                    long size = Files.size(target);
                    events.emit(new Progress(task, label, "B", size, size, true));
                    return new FetchResult(url, target, actual, size, FetchResult.Outcome.SKIPPED);
                }
            }
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path part = parent.resolve(target.getFileName() + ".part");
            boolean resumed = false;
            boolean restartedAfterMismatch = false;
            for (int attempt = 1; ; attempt++) {
                try {
                    Body body = receive(url, part, task, label, events);
                    resumed |= body.resumed();
                    if (expected != null && !body.sha256().equals(expected)) {
                        Files.deleteIfExists(part);
                        if (body.resumed() && !restartedAfterMismatch) {
                            // The kept bytes may be a stale partial of another file: fetch it whole once.
                            restartedAfterMismatch = true;
                            resumed = false;
                            continue;
                        }
                        throw KkException.failed(
                                "sha256 mismatch for " + redact(url) + ": expected " + expected + ", got "
                                        + body.sha256() + "; the file was deleted",
                                "the server's file differs from the checksum kk trusts: check the mirror"
                                        + " or the checksum in spec.checksums, then run again");
                    }
                    move(part, target);
                    events.emit(new Progress(task, label, "B", body.bytes(), body.bytes(), true));
                    return new FetchResult(
                            url,
                            target,
                            body.sha256(),
                            body.bytes(),
                            resumed ? FetchResult.Outcome.RESUMED : FetchResult.Outcome.DOWNLOADED);
                } catch (NotFoundException e) {
                    // nothing to resume from a file the server does not have: leave no partial behind
                    Files.deleteIfExists(part);
                    throw e;
                } catch (Retryable r) {
                    if (Files.exists(part) && Files.size(part) > 0) {
                        resumed = true;
                    }
                    if (attempt >= maxAttempts) {
                        throw r.toKkException(url, attempt);
                    }
                    pause(r, attempt);
                }
            }
        } catch (IOException e) {
            throw KkException.environment(
                    "cannot write " + target + ": " + io.kk.error.Causes.describe(e),
                    "check free space and permissions of "
                            + target.toAbsolutePath().getParent(),
                    e);
        }
    }

    @Override
    public Optional<Boolean> exists(URI url) {
        try {
            // one byte, not the whole binary (a server ignoring ranges answers 200: also fine)
            HttpResponse<InputStream> response = open(url, "bytes=0-0");
            int status = response.statusCode();
            closeQuietly(response.body());
            if (status == 404 || status == 410) {
                return Optional.of(false);
            }
            return status / 100 == 2 ? Optional.of(true) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // unreachable or refused: not an answer either way
        }
    }

    @Override
    public Optional<String> fetchSmall(URI url) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> response = open(url, null);
                try (InputStream in = response.body()) {
                    int status = response.statusCode();
                    if (status == 404 || status == 410) {
                        return Optional.empty();
                    }
                    checkStatus(url, response);
                    byte[] bytes = in.readNBytes(MAX_SMALL_BYTES + 1);
                    if (bytes.length > MAX_SMALL_BYTES) {
                        throw KkException.failed(
                                "GET " + redact(url) + ": more than " + MAX_SMALL_BYTES + " bytes for a checksum file",
                                "check that the URL names a checksum file");
                    }
                    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new Retryable("connection failed while reading: " + io.kk.error.Causes.describe(e), e, null);
                }
            } catch (Retryable r) {
                if (attempt >= maxAttempts) {
                    throw r.toKkException(url, attempt);
                }
                pause(r, attempt);
            }
        }
    }

    /** Downloads (or resumes) the body of {@code url} into {@code part}; the part holds it all on return. */
    private Body receive(URI url, Path part, String task, String label, EventSink events) throws IOException {
        MessageDigest digest = newSha256();
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpResponse<InputStream> response = open(url, have > 0 ? "bytes=" + have + "-" : null);
        boolean append = false;
        long total = -1;
        if (have > 0 && response.statusCode() == 206) {
            Matcher m = CONTENT_RANGE.matcher(
                    response.headers().firstValue("Content-Range").orElse(""));
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
                append = true;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else {
                // A range we did not ask for: drop what we have and start over.
                response.body().close();
                Files.delete(part);
                have = 0;
                response = open(url, null);
            }
        } else if (have > 0 && response.statusCode() == 416) {
            response.body().close();
            Files.delete(part);
            have = 0;
            response = open(url, null);
        }
        if (!append) {
            have = 0;
            checkStatus(url, response);
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            total = length.isPresent() ? length.getAsLong() : -1;
        } else {
            hashFile(part, digest);
        }
        long done = have;
        events.emit(new Progress(task, label, "B", done, total, false));
        long nextReport = done + PROGRESS_STEP;
        byte[] buffer = new byte[64 * 1024];
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = response.body();
                OutputStream out =
                        Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
                StallWatch watch = new StallWatch(in, stallTimeout)) {
            int n;
            while ((n = readSome(in, buffer, watch)) > 0) {
                watch.progressed();
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                done += n;
                if (done >= nextReport) {
                    events.emit(new Progress(task, label, "B", done, total, false));
                    nextReport = done + PROGRESS_STEP;
                }
            }
        }
        if (total >= 0 && done != total) {
            throw new Retryable("connection closed after " + done + " of " + total + " bytes", null, null);
        }
        return new Body(HexFormat.of().formatHex(digest.digest()), done, append);
    }

    /** Reads from the body; a failure mid-stream is retryable (the part file is kept for a resume). */
    private int readSome(InputStream in, byte[] buffer, StallWatch watch) {
        try {
            return Math.max(in.read(buffer), 0);
        } catch (IOException e) {
            if (watch.stalled()) {
                throw new Retryable("no data for " + stallTimeout.toSeconds() + " s, connection dropped", e, null);
            }
            throw new Retryable("connection failed mid-download: " + io.kk.error.Causes.describe(e), e, null);
        }
    }

    /**
     * Closes the body and interrupts the reading thread when no byte came for too long: the JDK client's
     * timeouts end at the response headers, and a stalled mirror must not hang kk forever.
     */
    private static final class StallWatch implements AutoCloseable {
        private final Thread reader = Thread.currentThread();
        private final InputStream body;
        private final long limitNanos;
        private final ScheduledFuture<?> check;
        private long lastProgress = System.nanoTime();
        private boolean closed;
        private boolean stalled;

        StallWatch(InputStream body, Duration limit) {
            this.body = body;
            this.limitNanos = limit.toNanos();
            long period = Math.max(limit.toMillis() / 4, 10);
            this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        }

        synchronized void progressed() {
            lastProgress = System.nanoTime();
        }

        synchronized boolean stalled() {
            return stalled;
        }

        private synchronized void check() {
            if (!closed && !stalled && System.nanoTime() - lastProgress > limitNanos) {
                stalled = true;
                // The JDK's body stream ignores a bare interrupt but rechecks "closed" after one.
                closeQuietly(body);
                reader.interrupt();
            }
        }

        @Override
        public void close() {
            check.cancel(false);
            synchronized (this) {
                closed = true;
                if (stalled) {
                    Thread.interrupted(); // our own interrupt, consumed: the caller retries
                }
            }
        }
    }

    /** Sends a GET, following redirects; Authorization goes only to the host it was given for. */
    private HttpResponse<InputStream> open(URI url, String range) {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .GET()
                    .timeout(requestTimeout)
                    .header("User-Agent", "kk");
            if (range != null) {
                request.header("Range", range);
            }
            String auth = authorizations.get(authority(current));
            if (auth != null) {
                request.header("Authorization", auth);
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (SSLHandshakeException e) {
                // Trust does not change between attempts: say so at once.
                throw KkException.environment(
                        "TLS handshake with " + redact(current) + " failed: " + io.kk.error.Causes.describe(e),
                        "if the server uses a private CA, have kk trust its certificate, or use a plain-http mirror",
                        e);
            } catch (IOException e) {
                throw new Retryable(describe(e), e, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KkException.failed("interrupted while fetching " + redact(url), "");
            }
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                Optional<String> location = response.headers().firstValue("Location");
                closeQuietly(response.body());
                if (location.isEmpty()) {
                    throw KkException.failed(
                            "GET " + redact(current) + ": HTTP " + status + " without a Location header",
                            "check the server or mirror");
                }
                current = current.resolve(location.get());
                continue;
            }
            if (status == 429 || status >= 500) {
                Duration retryAfter = response.headers()
                        .firstValue("Retry-After")
                        .flatMap(HttpDownloader::seconds)
                        .orElse(null);
                closeQuietly(response.body());
                throw new Retryable("HTTP " + status + " from " + redact(current), null, retryAfter);
            }
            return response;
        }
        throw KkException.failed(
                "GET " + redact(url) + ": more than " + MAX_REDIRECTS + " redirects", "check the server or mirror");
    }

    private static void checkStatus(URI url, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        if (status != 200) {
            closeQuietly(response.body());
            String hint = status == 404
                    ? "the file is not there: check the version, or that the mirror holds <host><path> of the upstream URL"
                    : status == 401 || status == 403
                            ? "the server refused access: check the credentials or the mirror's permissions"
                            : "check the server or mirror";
            if (status == 404 || status == 410) {
                throw new NotFoundException(URI.create(redact(url)), "GET " + redact(url) + ": HTTP " + status, hint);
            }
            throw KkException.failed("GET " + redact(url) + ": HTTP " + status, hint);
        }
    }

    private void pause(Retryable r, int attempt) {
        long factor = 1L << Math.min(attempt - 1, 20);
        Duration backoff = initialBackoff.multipliedBy(factor);
        if (r.retryAfter != null && r.retryAfter.compareTo(backoff) > 0) {
            backoff = r.retryAfter;
        }
        if (backoff.compareTo(maxBackoff) > 0) {
            backoff = maxBackoff;
        }
        try {
            sleeper.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KkException.failed("interrupted while waiting to retry", "");
        }
    }

    private static void move(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The lower-case hex sha256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        hashFile(file, digest);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void hashFile(Path file, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw KkException.internal("the JDK has no SHA-256", e);
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    static String authority(URI uri) {
        int port = uri.getPort();
        if (port < 0) {
            port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The URL without user info, for messages. */
    static String redact(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the response is discarded anyway
        }
    }

    private record Body(String sha256, long bytes, boolean resumed) {}

    /** A failure worth another attempt: connection trouble, 429, 5xx. */
    private static final class Retryable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        Retryable(String message, Throwable cause, Duration retryAfter) {
            super(message, cause, false, false);
            this.retryAfter = retryAfter;
        }

        KkException toKkException(URI url, int attempts) {
            String message = "GET " + redact(url) + " failed after " + attempts + " attempts: " + getMessage();
            if (getCause() != null) {
                return KkException.environment(
                        message,
                        "check that the host is reachable from here, or use --download-mirror"
                                + " (or KKZONE=cn) to fetch from elsewhere",
                        getCause());
            }
            return KkException.failed(message, "the server keeps failing: try again later or use --download-mirror");
        }
    }

    /** Settings of an {@link HttpDownloader}. */
    public static final class Builder {
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofMinutes(2);
        private Duration stallTimeout = Duration.ofMinutes(1);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private SSLContext sslContext;
        private final Map<String, String> authorizations = new HashMap<>();

        private Builder() {}

        /** Attempts per request, the first included (at least 1). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts < 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first wait between attempts; each further wait doubles, up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long to wait for a response's headers. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long a body may deliver no byte before the connection is dropped and retried. */
        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = timeout;
            return this;
        }

        /** Trusts the given TLS context (for a private CA); the JDK's trust store otherwise. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** Trusts the CA certificates in a PEM file (in addition to nothing else). */
        public Builder trustPemCertificates(Path pemFile) {
            try (InputStream in = Files.newInputStream(pemFile)) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, cert);
                }
                if (i == 0) {
                    throw KkException.invalidInput(
                            pemFile + " holds no certificate", "give a PEM file with the CA certificate(s)");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                this.sslContext = context;
                return this;
            } catch (IOException | GeneralSecurityException e) {
                throw KkException.invalidInput(
                        "cannot read CA certificates from " + pemFile + ": " + io.kk.error.Causes.describe(e),
                        "give a PEM file with the CA certificate(s)");
            }
        }

        /**
         * Sends {@code headerValue} as Authorization to {@code host:port} only (port 443/80 when the
         * URL names none); never to a host a redirect leads to.
         */
        public Builder authorization(String host, int port, String headerValue) {
            authorizations.put(host.toLowerCase(Locale.ROOT) + ":" + port, headerValue);
            return this;
        }

        public HttpDownloader build() {
            return new HttpDownloader(this);
        }
    }
}
