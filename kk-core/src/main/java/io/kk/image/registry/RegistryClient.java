package io.kk.image.registry;

import io.kk.error.KkException;
import io.kk.image.Descriptor;
import io.kk.image.Digests;
import io.kk.image.ImageReference;
import io.kk.image.Json;
import io.kk.image.Manifests;
import io.kk.image.Manifests.Manifest;
import io.kk.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A client for one registry over the OCI distribution API: reads and blob bodies over kk's own
 * HTTP/1.1 transport ({@link SocketBlobTransport}, several connections per registry), small
 * requests with a body and token requests over the JDK HttpClient. It authenticates lazily (anonymous, Basic, or Bearer tokens per scope
 * set, cached until shortly before expiry), follows redirects itself without sending credentials to
 * another host, retries 429/5xx/connection failures with exponential backoff, and checks the sha256
 * of everything it reads. Thread-safe. No secret ever appears in an exception message.
 */
public final class RegistryClient {
    /**
     * @param maxAttempts attempts per request (and per blob transfer) before giving up
     * @param initialBackoff first wait between attempts; doubled each time, capped at 5 s
     * @param readTimeout the longest wait for response headers of a request without a body, and for
     *     the next bytes of any response body: a server that stalls mid-blob is given up on and the
     *     blob resumed with Range
     */
    public record Options(int maxAttempts, Duration initialBackoff, Duration connectTimeout, Duration readTimeout) {
        public static final Options DEFAULT =
                new Options(6, Duration.ofMillis(200), Duration.ofSeconds(15), Duration.ofSeconds(60));

        /** With the default read timeout (60 s). */
        public Options(int maxAttempts, Duration initialBackoff, Duration connectTimeout) {
            this(maxAttempts, initialBackoff, connectTimeout, Duration.ofSeconds(60));
        }

        public Options withReadTimeout(Duration d) {
            return new Options(maxAttempts, initialBackoff, connectTimeout, d);
        }
    }

    private static final int BUFFER = 256 * 1024;
    /** One direct buffer per blob worker thread, kept: allocating and freeing one per blob costs more than its use. */
    private static final ThreadLocal<ByteBuffer> DOWNLOAD_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));
    /** The longest a blob transfer waits for {@link Sha256Warmup} (it usually takes well under a second). */
    private static final long WARMUP_WAIT_MILLIS = 3000;

    private final String registry;
    private final URI base;
    private final RegistryAuth auth;
    private final Options options;
    /**
     * The JDK client, built on first use: only calls with a request body (manifest PUTs, upload and
     * mount POSTs) and token requests need it; reads go over {@link #blobs}. Building it costs ~0.4
     * CPU-s (its classes, its selector thread), which an export from a plain registry never pays.
     */
    private final Lazy<HttpClient> http;

    private final BlobTransport blobs;
    private volatile AuthChallenge bearer;
    private volatile boolean basic;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, long expiresAtMillis) {}

    /**
     * @param registry host[:port] as in an image reference ({@code docker.io} is served from {@code
     *     registry-1.docker.io})
     */
    public RegistryClient(String registry, RegistryAuth auth, Options options) {
        this(registry, auth, options, null);
    }

    /** @param blobs the transport for blob bodies, or null for kk's own HTTP/1.1 over sockets */
    RegistryClient(String registry, RegistryAuth auth, Options options, BlobTransport blobs) {
        this.registry = ImageReference.normaliseRegistry(registry);
        this.auth = auth;
        this.options = options;
        String apiHost = this.registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : this.registry;
        this.base = URI.create((auth.plainHttp() ? "http://" : "https://") + apiHost);
        SSLContext tls = auth.plainHttp() ? null : TlsContexts.forAuth(this.registry, auth);
        this.http = new Lazy<>(() -> {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(options.connectTimeout());
            if (tls != null) {
                b.sslContext(tls);
            } else {
                b.sslContext(TlsContexts.lazySystemDefault()).sslParameters(TlsContexts.engineDefaults());
            }
            return b.build();
        });
        this.blobs = blobs != null
                ? blobs
                : new SocketBlobTransport(
                        () -> tls != null ? tls : TlsContexts.systemDefault(),
                        options.connectTimeout(),
                        options.readTimeout());
    }

    public RegistryClient(String registry, RegistryAuth auth) {
        this(registry, auth, Options.DEFAULT);
    }

    public String registry() {
        return registry;
    }

    /** GET /v2/: checks the registry answers and learns how it wants to be authenticated. */
    public void ping() {
        try (Resp r = new Call("GET", url("/v2/")).send()) {
            if (r.status() != 200) {
                throw fail(r, "ping");
            }
        }
    }

    // ---- manifests ----

    /** HEAD a manifest: its descriptor, or empty when the registry does not have it. */
    public Optional<Descriptor> headManifest(String repo, String reference) {
        try (Resp r = new Call("HEAD", manifestUrl(repo, reference))
                .accept()
                .scope(repo, "pull")
                .send()) {
            if (r.status() == 404) {
                return Optional.empty();
            }
            if (r.status() != 200) {
                throw fail(r, "manifest " + repo + ":" + reference);
            }
            String digest =
                    r.header("Docker-Content-Digest").orElse(reference.startsWith("sha256:") ? reference : null);
            if (digest == null) {
                return Optional.empty();
            }
            String type = r.header("Content-Type").orElse("");
            long size = r.header("Content-Length").map(Long::parseLong).orElse(-1L);
            return Optional.of(Descriptor.of(type, digest, size));
        }
    }

    /**
     * Starts getting sha256 compiled on a background thread now. A resumed export reads no manifest
     * (its saved plan has the digests), so without this its first blob transfer would wait for it.
     */
    public static void warmUpHashing() {
        Sha256Warmup.start();
    }

    /** GETs a manifest or index by tag or digest, exactly as stored, its digest verified. */
    public Manifest getManifest(String repo, String reference) {
        // reading manifests means blobs to hash soon: get sha256 compiled meanwhile
        Sha256Warmup.start();
        try (Resp r = new Call("GET", manifestUrl(repo, reference))
                .accept()
                .scope(repo, "pull")
                .send()) {
            if (r.status() != 200) {
                throw fail(r, "manifest " + repo + ":" + reference);
            }
            byte[] bytes = r.body().readAllBytes();
            String digest = Digests.sha256(bytes);
            String expected = reference.startsWith("sha256:")
                    ? reference
                    : r.header("Docker-Content-Digest").orElse(digest);
            if (!digest.equals(expected)) {
                throw KkException.failed(
                        "manifest " + repo + ":" + reference + " from " + registry + " has digest " + digest
                                + ", expected " + expected,
                        "the registry or a proxy altered the manifest; it was refused");
            }
            String contentType = r.header("Content-Type").orElse("");
            String mediaType = Manifests.declaredMediaType(bytes, contentType);
            if (MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mediaType)
                    || mediaType.startsWith("application/vnd.docker.distribution.manifest.v1")) {
                throw KkException.failed(
                        "manifest " + repo + ":" + reference + " is a Docker schema1 manifest",
                        "schema1 images are not supported; rebuild or re-push the image with a current tool");
            }
            return new Manifest(bytes, mediaType, digest);
        } catch (IOException e) {
            throw transferFailed("reading manifest " + repo + ":" + reference, e);
        }
    }

    /** PUTs a manifest's exact bytes under a tag or its digest. */
    public void putManifest(String repo, String reference, Manifest manifest) {
        for (int attempt = 1; ; attempt++) {
            try (Resp r = new Call("PUT", manifestUrl(repo, reference))
                    .header("Content-Type", manifest.mediaType())
                    .body(() -> BodyPublishers.ofByteArray(manifest.bytes()))
                    .scope(repo, "pull,push")
                    .send()) {
                if (r.status() == 201 || r.status() == 200) {
                    return;
                }
                if (!retryable(r.status()) || attempt >= options.maxAttempts()) {
                    throw fail(r, "push manifest " + repo + ":" + reference);
                }
            }
            backoff(attempt);
        }
    }

    // ---- blobs ----

    public boolean hasBlob(String repo, String digest) {
        try (Resp r = new Call("HEAD", url("/v2/" + repo + "/blobs/" + digest))
                .scope(repo, "pull")
                .follow()
                .send()) {
            if (r.status() == 200) {
                return true;
            }
            if (r.status() == 404) {
                return false;
            }
            throw fail(r, "blob " + repo + "@" + digest);
        }
    }

    /**
     * Downloads a blob into {@code part}, resuming from its current length with an HTTP Range
     * request (after a restart or a connection cut mid-stream). The bytes are hashed as they arrive;
     * on a digest mismatch the part file is deleted and the blob refused. The caller renames the
     * part file once this returns.
     *
     * @param progress receives the number of new bytes as they are written
     */
    public void downloadBlob(String repo, Descriptor blob, Path part, LongConsumer progress) {
        Sha256Warmup.await(WARMUP_WAIT_MILLIS);
        MessageDigest md = Digests.newSha256();
        long offset = 0;
        try {
            if (Files.exists(part)) {
                long len = Files.size(part);
                if (blob.size() >= 0 && len > blob.size()) {
                    Files.delete(part);
                } else {
                    try (InputStream in = Files.newInputStream(part)) {
                        byte[] buf = new byte[BUFFER];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            md.update(buf, 0, n);
                        }
                    }
                    offset = len;
                    progress.accept(len);
                }
            }
        } catch (IOException e) {
            throw transferFailed("reading the partial blob " + part, e);
        }
        IOException last = null;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            if (blob.size() >= 0 && offset == blob.size()) {
                break;
            }
            Call call = new Call("GET", url("/v2/" + repo + "/blobs/" + blob.digest()))
                    .scope(repo, "pull")
                    .follow();
            if (offset > 0) {
                call.header("Range", "bytes=" + offset + "-");
            }
            try (Resp r = call.send()) {
                boolean append = r.status() == 206;
                if (r.status() == 200 || (append && offset == 0)) {
                    if (offset > 0) {
                        md.reset();
                        progress.accept(-offset);
                        offset = 0;
                    }
                } else if (!append) {
                    if (retryable(r.status()) && attempt < options.maxAttempts()) {
                        backoff(attempt);
                        continue;
                    }
                    throw fail(r, "blob " + repo + "@" + blob.digest());
                }
                try (InputStream in = r.body();
                        FileChannel out = FileChannel.open(
                                part,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                offset > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = DOWNLOAD_BUFFER.get();
                    // the buffer is filled before it is hashed and written: a socket read returns a
                    // few dozen KiB, and a write per read was 4-8 times the system calls. A direct
                    // buffer takes the bytes from the socket and gives them to the file with no copy.
                    for (boolean end = false; !end; ) {
                        buf.clear();
                        IOException cut = null;
                        try {
                            while (buf.hasRemaining()) {
                                if (read(in, buf) < 0) {
                                    end = true;
                                    break;
                                }
                            }
                        } catch (IOException e) {
                            cut = e; // what arrived before the cut is kept: the resume starts after it
                        }
                        buf.flip();
                        int filled = buf.remaining();
                        if (filled > 0) {
                            md.update(buf.duplicate());
                            while (buf.hasRemaining()) {
                                out.write(buf);
                            }
                            offset += filled;
                            progress.accept(filled);
                        }
                        if (cut != null) {
                            throw cut;
                        }
                    }
                }
                if (blob.size() < 0 || offset >= blob.size()) {
                    break;
                }
                last = new IOException("the connection ended after " + offset + " of " + blob.size() + " bytes");
            } catch (IOException e) {
                last = e;
            }
            if (attempt < options.maxAttempts()) {
                backoff(attempt);
            }
        }
        if (blob.size() >= 0 && offset < blob.size()) {
            throw transferFailed("downloading blob " + repo + "@" + blob.digest(), last);
        }
        String got = Digests.format(md);
        if (!got.equals(blob.digest()) || (blob.size() >= 0 && offset != blob.size())) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the refusal below matters more than the leftover file
            }
            throw KkException.failed(
                    "blob " + repo + "@" + blob.digest() + " from " + registry + " hashed to " + got + " (" + offset
                            + " bytes); refused and deleted",
                    "the source registry serves damaged content; check its storage or any proxy in between");
        }
    }

    /** Reads into {@code dst} straight from a transport body that can, else through a heap array. */
    private static int read(InputStream in, ByteBuffer dst) throws IOException {
        if (in instanceof BlobTransport.BufferBody b) {
            return b.read(dst);
        }
        byte[] a = new byte[Math.min(dst.remaining(), 64 * 1024)];
        int n = in.read(a);
        if (n > 0) {
            dst.put(a, 0, n);
        }
        return n;
    }

    /**
     * Opens a blob for streaming into another registry. A cut or stalled connection is resumed with
     * an HTTP Range request from the last byte received, so the reader (an upload in progress) never
     * sees it. The stream fails at its end if the bytes do not hash to the digest, so a damaged blob
     * is never completed at the destination.
     */
    public InputStream openBlob(String repo, Descriptor blob) {
        Sha256Warmup.await(WARMUP_WAIT_MILLIS);
        ResumingBlobStream in = new ResumingBlobStream(repo, blob);
        try {
            in.open();
        } catch (IOException e) {
            throw transferFailed("opening blob " + repo + "@" + blob.digest(), e);
        }
        return in;
    }

    /**
     * Uploads a blob: POST to open an upload, then one streamed PUT with the digest and a
     * Content-Length over the blob transport (distribution 2.8 has no single-POST upload). The body
     * is written again on each attempt.
     */
    public void uploadBlob(String repo, Descriptor blob, BlobTransport.Body body) {
        KkException last = null;
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            try {
                String location;
                try (Resp r = new Call("POST", url("/v2/" + repo + "/blobs/uploads/"))
                        .scope(repo, "pull,push")
                        .body(BodyPublishers::noBody)
                        .send()) {
                    if (r.status() != 202) {
                        if (retryable(r.status())) {
                            last = fail(r, "start upload of " + repo + "@" + blob.digest());
                            backoff(attempt);
                            continue;
                        }
                        throw fail(r, "start upload of " + repo + "@" + blob.digest());
                    }
                    location = r.header("Location")
                            .orElseThrow(() -> KkException.failed(
                                    "registry " + registry + " opened an upload without a Location",
                                    "the registry is not OCI-compliant"));
                }
                URI put = appendQuery(base.resolve(location), "digest=" + enc(blob.digest()));
                try (Resp r = new Call("PUT", put)
                        .header("Content-Type", "application/octet-stream")
                        .scope(repo, "pull,push")
                        .blobBody(body)
                        .send()) {
                    if (r.status() == 201) {
                        return;
                    }
                    last = fail(r, "upload of " + repo + "@" + blob.digest());
                    if (!retryable(r.status()) && r.status() != 400) {
                        throw last;
                    }
                }
            } catch (KkException e) {
                if (!(e.getCause() instanceof IOException)) {
                    throw e;
                }
                last = e;
            }
            if (attempt < options.maxAttempts()) {
                backoff(attempt);
            }
        }
        throw last;
    }

    /**
     * Cross-repository mount: asks the registry to link a blob it already holds in {@code fromRepo}.
     * Returns false (and cancels the upload session the registry opened instead) if it did not.
     */
    public boolean mountBlob(String repo, String digest, String fromRepo) {
        URI uri = url("/v2/" + repo + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(fromRepo));
        try (Resp r = new Call("POST", uri)
                .scope(repo, "pull,push")
                .scope(fromRepo, "pull")
                .body(BodyPublishers::noBody)
                .send()) {
            if (r.status() == 201) {
                return true;
            }
            if (r.status() == 202) {
                r.header("Location").ifPresent(loc -> {
                    try (Resp d = new Call("DELETE", base.resolve(loc))
                            .scope(repo, "pull,push")
                            .send()) {
                        // a failed cancel only leaves an upload session to expire
                    }
                });
                return false;
            }
            return false;
        }
    }

    /** Tags of a repository (follows the Link header's pagination). */
    public List<String> tags(String repo) {
        List<String> out = new ArrayList<>();
        URI next = url("/v2/" + repo + "/tags/list");
        while (next != null) {
            try (Resp r = new Call("GET", next).scope(repo, "pull").send()) {
                if (r.status() == 404) {
                    return out;
                }
                if (r.status() != 200) {
                    throw fail(r, "tags of " + repo);
                }
                Object t = Json.parse(r.body().readAllBytes());
                Json.elements(Json.get(t, "tags")).forEach(n -> out.add(Json.text(n, "null")));
                next = r.header("Link")
                        .filter(l -> l.contains("rel=\"next\""))
                        .map(l -> base.resolve(l.substring(l.indexOf('<') + 1, l.indexOf('>'))))
                        .orElse(null);
            } catch (IOException e) {
                throw transferFailed("listing tags of " + repo, e);
            }
        }
        return out;
    }

    // ---- request machinery ----

    private URI url(String path) {
        return base.resolve(path);
    }

    private URI manifestUrl(String repo, String reference) {
        return url("/v2/" + repo + "/manifests/" + reference);
    }

    private static URI appendQuery(URI uri, String query) {
        String s = uri.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private void backoff(int attempt) {
        long ms = Math.min(5000, options.initialBackoff().toMillis() << Math.min(attempt - 1, 10));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KkException.failed("interrupted while talking to " + registry, "");
        }
    }

    /** A response whose body stream is closed with it. */
    private interface Resp extends AutoCloseable {
        int status();

        Optional<String> header(String name);

        InputStream body();

        @Override
        void close();
    }

    /** A response of the JDK client (small requests with a body: manifest PUTs, upload and mount POSTs). */
    private record JdkResp(HttpResponse<InputStream> response) implements Resp {
        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        @Override
        public InputStream body() {
            return response.body();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // closing a finished response cannot fail in a way that matters
            }
        }
    }

    /** A response of kk's own transport (every read, and blob upload PUTs). */
    private record BlobResp(BlobTransport.Response response) implements Resp {
        @Override
        public int status() {
            return response.status();
        }

        @Override
        public Optional<String> header(String name) {
            return response.header(name);
        }

        @Override
        public InputStream body() {
            return response.body();
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** A value made on first use, once (the first caller builds it, others wait). */
    private static final class Lazy<T> {
        private final Supplier<T> make;
        private volatile T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = make.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    /** One logical request: auth, retries of transport failures and 429/5xx, manual redirects. */
    private final class Call {
        private final String method;
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final TreeSet<String> scopes = new TreeSet<>();
        private Supplier<BodyPublisher> body;
        private BlobTransport.Body blobBody;
        private boolean follow;

        Call(String method, URI uri) {
            this.method = method;
            this.uri = uri;
        }

        Call accept() {
            return header("Accept", String.join(", ", MediaTypes.ACCEPT));
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call scope(String repo, String actions) {
            scopes.add("repository:" + repo + ":" + actions);
            return this;
        }

        Call body(Supplier<BodyPublisher> b) {
            this.body = b;
            return this;
        }

        Call follow() {
            this.follow = true;
            return this;
        }

        /** A blob body, sent over the blob transport. */
        Call blobBody(BlobTransport.Body b) {
            this.blobBody = b;
            return this;
        }

        private Resp exchange(URI target, boolean sameOrigin) throws IOException, InterruptedException {
            String a = sameOrigin ? authorization(scopes) : null;
            // reads (GET, HEAD: manifests, pings, blob checks) and blob bodies go over kk's own
            // transport; only small requests with a body over the JDK client
            if (blobBody != null || body == null) {
                Map<String, String> h = new LinkedHashMap<>(headers);
                if (a != null) {
                    h.put("Authorization", a);
                }
                return new BlobResp(blobs.exchange(new BlobTransport.Request(method, target, h, blobBody)));
            }
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(target).method(method, body == null ? BodyPublishers.noBody() : body.get());
            if (body == null) {
                // with a body, headers come after the whole upload: no bound fits every size
                b.timeout(options.readTimeout());
            }
            headers.forEach(b::header);
            if (a != null) {
                b.header("Authorization", a);
            }
            return new JdkResp(http.get().send(b.build(), info -> new TimedBodySubscriber(options.readTimeout())));
        }

        Resp send() {
            URI target = uri;
            boolean reauthed = false;
            int redirects = 0;
            int attempt = 0;
            // bodies are retried only by their callers (uploads restart from POST)
            boolean idempotent = (body == null && blobBody == null)
                    || method.equals("PUT") && uri.getPath().contains("/manifests/");
            while (true) {
                boolean sameOrigin = sameOrigin(target);
                Resp r;
                try {
                    r = exchange(target, sameOrigin);
                } catch (IOException e) {
                    attempt++;
                    if (!idempotent
                            || attempt >= options.maxAttempts()
                            || e instanceof javax.net.ssl.SSLHandshakeException) {
                        throw transferFailed(method + " " + uri.getPath(), e);
                    }
                    backoff(attempt);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw KkException.failed("interrupted while talking to " + registry, "");
                }
                int s = r.status();
                if (s == 401 && sameOrigin && !reauthed) {
                    reauthed = true;
                    String challenge = r.header("WWW-Authenticate").orElse("");
                    r.close();
                    learn(challenge, scopes);
                    continue;
                }
                if (follow && (s == 301 || s == 302 || s == 303 || s == 307 || s == 308)) {
                    String loc = r.header("Location").orElse(null);
                    r.close();
                    if (loc == null || ++redirects > 5) {
                        throw KkException.failed(
                                "registry " + registry + " redirected " + method + " " + uri.getPath() + " badly",
                                "check the registry's storage redirect settings");
                    }
                    target = target.resolve(loc);
                    continue;
                }
                if (retryable(s) && idempotent && attempt + 1 < options.maxAttempts()) {
                    attempt++;
                    long wait = r.header("Retry-After")
                            .flatMap(v -> {
                                try {
                                    return Optional.of(Math.min(10, Long.parseLong(v.trim())) * 1000);
                                } catch (NumberFormatException e) {
                                    return Optional.empty();
                                }
                            })
                            .orElse(-1L);
                    r.close();
                    if (wait > 0) {
                        sleep(wait);
                    } else {
                        backoff(attempt);
                    }
                    continue;
                }
                return r;
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KkException.failed("interrupted while talking to " + registry, "");
        }
    }

    private boolean sameOrigin(URI target) {
        return target.getScheme().equals(base.getScheme())
                && target.getHost().equalsIgnoreCase(base.getHost())
                && target.getPort() == base.getPort();
    }

    // ---- authentication ----

    private String authorization(TreeSet<String> scopes) {
        if (basic) {
            return basicHeader();
        }
        AuthChallenge b = bearer;
        if (b == null) {
            return null;
        }
        String key = String.join(" ", scopes);
        Token t = tokens.get(key);
        if (t == null || t.expiresAtMillis() < System.currentTimeMillis()) {
            t = fetchToken(b, scopes);
            tokens.put(key, t);
        }
        return "Bearer " + t.value();
    }

    private String basicHeader() {
        if (!auth.hasCredentials()) {
            return null;
        }
        String up = auth.username() + ":" + auth.password();
        return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    }

    private void learn(String header, TreeSet<String> scopes) {
        for (AuthChallenge c : AuthChallenge.parse(header)) {
            if (c.scheme().equalsIgnoreCase("bearer") && c.param("realm") != null) {
                bearer = c;
                basic = false;
                String extra = c.param("scope");
                TreeSet<String> all = new TreeSet<>(scopes);
                if (extra != null) {
                    all.addAll(List.of(extra.split(" ")));
                }
                // a fresh token for the union of scopes (covers insufficient_scope on push/mount)
                tokens.put(String.join(" ", scopes), fetchToken(c, all));
                return;
            }
            if (c.scheme().equalsIgnoreCase("basic")) {
                if (!auth.hasCredentials()) {
                    throw KkException.failed(
                            "registry " + registry + " requires a username and password",
                            "add credentials for " + registry + " (auths in the config, --username, or docker login)");
                }
                basic = true;
                return;
            }
        }
    }

    private Token fetchToken(AuthChallenge c, TreeSet<String> scopes) {
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) {
            q.append("service=").append(enc(c.param("service")));
        }
        for (String s : scopes) {
            q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(s));
        }
        URI uri = appendQuery(URI.create(c.param("realm")), q.toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        String basicAuth = basicHeader();
        if (basicAuth != null) {
            b.header("Authorization", basicAuth);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> r = http.get().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    Object t = Json.parse(r.body());
                    String token = Json.text(Json.get(t, "token"), Json.text(Json.get(t, "access_token"), ""));
                    long expires = Math.max(60, Json.longValue(Json.get(t, "expires_in"), 60));
                    return new Token(token, System.currentTimeMillis() + (expires - 10) * 1000);
                }
                if (retryable(r.statusCode()) && attempt < options.maxAttempts()) {
                    backoff(attempt);
                    continue;
                }
                throw KkException.failed(
                        "the token service of registry " + registry + " answered HTTP " + r.statusCode(),
                        r.statusCode() == 401 || r.statusCode() == 403
                                ? "check the username and password for " + registry
                                : "check the registry's token service");
            } catch (IOException e) {
                if (attempt >= options.maxAttempts()) {
                    throw transferFailed("fetching a token for " + registry, e);
                }
                backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KkException.failed("interrupted while talking to " + registry, "");
            }
        }
    }

    // ---- errors ----

    private KkException fail(Resp r, String what) {
        String detail = "";
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(4096);
            List<String> parts = new ArrayList<>();
            for (Object e : Json.elements(Json.get(Json.parse(b), "errors"))) {
                parts.add(Json.text(Json.get(e, "code"), "") + ": " + Json.text(Json.get(e, "message"), ""));
            }
            detail = parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
        } catch (IOException | RuntimeException ignored) {
            // the status alone is enough
        }
        int s = r.status();
        String scope = s == 401 && bearer != null
                ? AuthChallenge.parse(r.header("WWW-Authenticate").orElse("")).stream()
                        .map(c -> c.param("scope"))
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null)
                : null;
        String hint =
                switch (s) {
                    case 401 -> scope != null
                            ? "the token service did not grant " + scope
                                    + ": check that the account may do this (a push needs pull,push on the repository)"
                            : "check the credentials for " + registry;
                    case 403 -> "the account lacks permission; for Harbor, create the project first";
                    case 404 -> "check the image name and that it exists in " + registry;
                    default -> "";
                };
        return KkException.failed(what + " at " + registry + ": HTTP " + s + detail, hint);
    }

    private KkException transferFailed(String what, IOException e) {
        if (e instanceof javax.net.ssl.SSLHandshakeException) {
            return KkException.failed(
                    what + " at " + registry + ": TLS handshake failed: " + e.getMessage(),
                    "give the registry's CA file (certsPath/caFile), or set skipTLSVerify for a test registry",
                    e);
        }
        String why = e == null
                ? "unknown"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return KkException.failed(
                what + " at " + registry + " failed after retries: " + why,
                auth.plainHttp()
                        ? "check that the registry is reachable"
                        : "check that the registry is reachable and its TLS settings (CA file, skipTLSVerify, plainHTTP)",
                e);
    }

    /**
     * A blob body that survives cuts and stalls: on a read failure or an early end it reopens the
     * blob with {@code Range: bytes=<received>-} (after a backoff) and goes on; it hashes what it
     * passes on and fails at the end when the digest or size is wrong. Gives up after {@code
     * maxAttempts} failures in a row without new bytes.
     */
    private final class ResumingBlobStream extends InputStream {
        private final String repo;
        private final Descriptor blob;
        private final MessageDigest md = Digests.newSha256();
        private InputStream current;
        private long offset;
        private int failures;
        private boolean done;

        ResumingBlobStream(String repo, Descriptor blob) {
            this.repo = repo;
            this.blob = blob;
        }

        /** Opens the body at {@code offset}; a registry that ignores Range has its first bytes skipped. */
        void open() throws IOException {
            Call call = new Call("GET", url("/v2/" + repo + "/blobs/" + blob.digest()))
                    .scope(repo, "pull")
                    .follow();
            if (offset > 0) {
                call.header("Range", "bytes=" + offset + "-");
            }
            Resp r;
            try {
                r = call.send();
            } catch (KkException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (r.status() == 206 && offset > 0) {
                current = r.body();
                return;
            }
            if (r.status() == 200) {
                InputStream in = r.body();
                long skip = offset;
                while (skip > 0) {
                    long n = in.skip(skip);
                    if (n <= 0) {
                        r.close();
                        throw new IOException("blob " + blob.digest() + " ended before byte " + offset);
                    }
                    skip -= n;
                }
                current = in;
                return;
            }
            KkException k = fail(r, "blob " + repo + "@" + blob.digest());
            if (offset == 0 && !retryable(r.status())) {
                throw k;
            }
            throw new IOException(k.getMessage(), k);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            while (true) {
                try {
                    if (current == null) {
                        try {
                            open();
                        } catch (KkException k) {
                            throw new IOException(k.getMessage(), k);
                        }
                    }
                    int n = current.read(b, off, len);
                    if (n > 0) {
                        md.update(b, off, n);
                        offset += n;
                        failures = 0;
                        return n;
                    }
                    if (n == 0) {
                        continue;
                    }
                    if (blob.size() >= 0 && offset < blob.size()) {
                        throw new IOException("the connection ended after " + offset + " of " + blob.size() + " bytes");
                    }
                    done = true;
                    String got = Digests.format(md);
                    if (!got.equals(blob.digest()) || (blob.size() >= 0 && offset != blob.size())) {
                        throw new IOException("blob " + blob.digest() + " from " + registry + " hashed to " + got
                                + " after " + offset + " bytes; refused");
                    }
                    return -1;
                } catch (IOException e) {
                    if (done) {
                        throw e;
                    }
                    closeCurrent();
                    if (++failures >= options.maxAttempts()) {
                        throw e;
                    }
                    try {
                        backoff(failures);
                    } catch (KkException interrupted) {
                        throw new java.io.InterruptedIOException(interrupted.getMessage());
                    }
                }
            }
        }

        private void closeCurrent() {
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // the connection is dropped anyway
                }
                current = null;
            }
        }

        @Override
        public void close() {
            done = true;
            closeCurrent();
        }
    }
}
