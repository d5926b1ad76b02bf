package io.kk.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kk.error.ErrorKind;
import io.kk.error.KkException;
import io.kk.event.Event;
import io.kk.event.EventSink;
import io.kk.event.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class HttpDownloaderTest {
    private static final byte[] BODY = randomBytes(3 * 1024 * 1024 + 17);
    private static final String SHA = sha256(BODY);

    @TempDir
    Path dir;

    private final TestHttpServer server = new TestHttpServer();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final EventSink sink = events::add;
    private final HttpDownloader downloader = HttpDownloader.builder()
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
            .sleeper(sleeps::add)
            .maxAttempts(5)
            .build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void downloadsVerifiesAndReportsProgressInBytes() throws IOException {
        server.file("/f.tgz", BODY);
        Path target = dir.resolve("sub/f.tgz");

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.DOWNLOADED);
        assertThat(result.sha256()).isEqualTo(SHA);
        assertThat(result.bytes()).isEqualTo(BODY.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
        assertThat(dir.resolve("sub/f.tgz.part")).doesNotExist();
        List<Progress> progress = progress();
        assertThat(progress).first().extracting(Progress::done, Progress::total).containsExactly(0L, (long)
                BODY.length);
        assertThat(progress).last().satisfies(p -> {
            assertThat(p.finished()).isTrue();
            assertThat(p.done()).isEqualTo(BODY.length);
            assertThat(p.unit()).isEqualTo("B");
        });
        assertThat(progress).extracting(Progress::done).isSorted();
    }

    @Test
    void aFlippedByteIsRefusedAndNothingIsKept() {
        byte[] flipped = BODY.clone();
        flipped[1000] ^= 0x01;
        server.file("/f.tgz", flipped);
        Path target = dir.resolve("f.tgz");

        assertThatThrownBy(() -> downloader.fetch(server.url("/f.tgz"), target, SHA, sink))
                .isInstanceOf(KkException.class)
                .hasMessage("sha256 mismatch for " + server.url("/f.tgz") + ": expected " + SHA + ", got "
                        + sha256(flipped) + "; the file was deleted")
                .extracting(e -> ((KkException) e).kind())
                .isEqualTo(ErrorKind.FAILED);
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("f.tgz.part")).doesNotExist();
        assertThat(progress()).last().extracting(Progress::finished).isEqualTo(true);
    }

    @Test
    void aCutDownloadResumesWithRangeWithoutResendingTheFirstBytes() throws IOException {
        int cut = 1024 * 1024 + 5;
        AtomicInteger calls = new AtomicInteger();
        AtomicLong resentFrom = new AtomicLong(-1);
        AtomicLong secondResponseBytes = new AtomicLong();
        server.route("/f.tgz", exchange -> {
            if (calls.incrementAndGet() == 1) {
                exchange.sendResponseHeaders(200, BODY.length);
                OutputStream out = exchange.getResponseBody();
                out.write(BODY, 0, cut);
                out.flush();
                out.close(); // too few bytes: the server drops the connection
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            long from = range == null ? 0 : Long.parseLong(range.replaceAll("\\D", ""));
            resentFrom.set(from);
            secondResponseBytes.set(BODY.length - from);
            TestHttpServer.serveFile(exchange, BODY);
        });
        Path target = dir.resolve("f.tgz");

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.RESUMED);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
        // The client asks for the rest from what it kept (all of the cut bytes, or fewer when the
        // drop discarded some in flight), and only the rest is sent again.
        assertThat(server.requests())
                .hasSize(2)
                .first()
                .extracting(TestHttpServer.Request::range)
                .isNull();
        assertThat(server.requests().get(1).range()).isEqualTo("bytes=" + resentFrom.get() + "-");
        assertThat(resentFrom.get()).isBetween(1L, (long) cut);
        assertThat(secondResponseBytes.get()).isEqualTo(BODY.length - resentFrom.get());
        assertThat(sleeps).hasSize(1);
    }

    @Test
    @Timeout(120) // a regression would hang here rather than fail
    void aStalledBodyIsDroppedAndResumed() throws Exception {
        int cut = 1000;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        server.route("/f.tgz", exchange -> {
            if (calls.incrementAndGet() == 1) {
                exchange.sendResponseHeaders(200, BODY.length);
                exchange.getResponseBody().write(BODY, 0, cut);
                exchange.getResponseBody().flush();
                try {
                    release.await(); // stall: no more bytes until the test ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            TestHttpServer.serveFile(exchange, BODY);
        });
        HttpDownloader impatient = HttpDownloader.builder()
                .stallTimeout(Duration.ofSeconds(1))
                .sleeper(sleeps::add)
                .build();
        try {
            FetchResult result = impatient.fetch(server.url("/f.tgz"), dir.resolve("f.tgz"), SHA, sink);

            assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.RESUMED);
            assertThat(server.requests())
                    .extracting(TestHttpServer.Request::range)
                    .containsExactly(null, "bytes=" + cut + "-");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServerThatIgnoresRangeRestartsTheDownload() throws IOException {
        Path target = dir.resolve("f.tgz");
        Files.write(dir.resolve("f.tgz.part"), new byte[] {1, 2, 3, 4}); // stale bytes from an old run
        server.route("/f.tgz", exchange -> TestHttpServer.send(exchange, 200, BODY));

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(server.requests()).extracting(TestHttpServer.Request::range).containsExactly("bytes=4-");
        assertThat(result.sha256()).isEqualTo(SHA);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
    }

    @Test
    void aStalePartialOfAnotherFileIsDiscardedAfterTheMismatchAndFetchedWhole() throws IOException {
        Path target = dir.resolve("f.tgz");
        Files.write(dir.resolve("f.tgz.part"), new byte[] {1, 2, 3, 4}); // not BODY's first bytes
        server.file("/f.tgz", BODY);

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(server.requests()).extracting(TestHttpServer.Request::range).containsExactly("bytes=4-", null);
        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.DOWNLOADED);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
    }

    @Test
    void aWrongContentRangeRestartsTheDownload() throws IOException {
        Path target = dir.resolve("f.tgz");
        Files.write(dir.resolve("f.tgz.part"), new byte[] {1, 2, 3, 4});
        server.route("/f.tgz", exchange -> {
            if (exchange.getRequestHeaders().getFirst("Range") != null) {
                exchange.getResponseHeaders().set("Content-Range", "bytes 0-9/" + BODY.length);
                exchange.sendResponseHeaders(206, 10);
                exchange.getResponseBody().write(BODY, 0, 10);
                return;
            }
            TestHttpServer.send(exchange, 200, BODY);
        });

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(server.requests()).extracting(TestHttpServer.Request::range).containsExactly("bytes=4-", null);
        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.DOWNLOADED);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
    }

    @Test
    void a503StormIsRetriedWithExponentialBackoffThenSucceeds() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server.route("/f.tgz", exchange -> {
            if (calls.incrementAndGet() <= 3) {
                TestHttpServer.send(exchange, 503, new byte[0]);
            } else {
                TestHttpServer.send(exchange, 200, BODY);
            }
        });

        FetchResult result = downloader.fetch(server.url("/f.tgz"), dir.resolve("f.tgz"), SHA, sink);

        assertThat(result.sha256()).isEqualTo(SHA);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void retriesAreBoundedAndTheLastErrorIsReported() {
        server.route("/f.tgz", exchange -> {
            exchange.getResponseHeaders().set("Retry-After", "3");
            TestHttpServer.send(exchange, 429, new byte[0]);
        });

        assertThatThrownBy(() -> downloader.fetch(server.url("/f.tgz"), dir.resolve("f.tgz"), SHA, sink))
                .isInstanceOf(KkException.class)
                .hasMessage("GET " + server.url("/f.tgz") + " failed after 5 attempts: HTTP 429 from "
                        + server.url("/f.tgz"));
        assertThat(server.requests()).hasSize(5);
        // Retry-After (3 s) wins over a shorter backoff, the cap (5 s) over a longer one.
        assertThat(sleeps)
                .containsExactly(
                        Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(dir.resolve("f.tgz")).doesNotExist();
    }

    @Test
    void aRedirectToAnotherHostDoesNotCarryAuthorization() throws IOException {
        try (TestHttpServer other = new TestHttpServer("127.0.0.2")) {
            other.file("/blob", BODY);
            server.route("/f.tgz", exchange -> {
                exchange.getResponseHeaders().set("Location", other.url("/blob").toString());
                TestHttpServer.send(exchange, 302, new byte[0]);
            });
            HttpDownloader withAuth = HttpDownloader.builder()
                    .authorization("127.0.0.1", server.port(), "Basic c2VjcmV0OnNlY3JldA==")
                    .sleeper(sleeps::add)
                    .build();

            FetchResult result = withAuth.fetch(server.url("/f.tgz"), dir.resolve("f.tgz"), SHA, sink);

            assertThat(result.sha256()).isEqualTo(SHA);
            assertThat(server.requests())
                    .extracting(TestHttpServer.Request::authorization)
                    .containsExactly("Basic c2VjcmV0OnNlY3JldA==");
            assertThat(other.requests()).singleElement().satisfies(r -> {
                assertThat(r.path()).isEqualTo("/blob");
                assertThat(r.authorization()).isNull();
            });
        }
    }

    @Test
    void anExistingVerifiedFileIsSkippedWithoutARequest() throws IOException {
        Path target = dir.resolve("f.tgz");
        Files.write(target, BODY);
        server.file("/f.tgz", BODY);

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.SKIPPED);
        assertThat(server.requests()).isEmpty();
        assertThat(progress()).singleElement().satisfies(p -> {
            assertThat(p.finished()).isTrue();
            assertThat(p.done()).isEqualTo(BODY.length);
        });
    }

    @Test
    void anExistingFileWithAnotherDigestIsReplaced() throws IOException {
        Path target = dir.resolve("f.tgz");
        Files.writeString(target, "old");
        server.file("/f.tgz", BODY);

        FetchResult result = downloader.fetch(server.url("/f.tgz"), target, SHA, sink);

        assertThat(result.outcome()).isEqualTo(FetchResult.Outcome.DOWNLOADED);
        assertThat(Files.readAllBytes(target)).isEqualTo(BODY);
    }

    @Test
    void notFoundFailsAtOnceWithAHint() {
        assertThatThrownBy(() -> downloader.fetch(server.url("/missing"), dir.resolve("m"), SHA, sink))
                .isInstanceOf(KkException.class)
                .hasMessage("GET " + server.url("/missing") + ": HTTP 404")
                .satisfies(e -> assertThat(((KkException) e).hint()).contains("mirror holds <host><path>"));
        assertThat(server.requests()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anUnreachableHostIsAnEnvironmentProblem() {
        server.close();

        assertThatThrownBy(() -> downloader.fetch(server.url("/f"), dir.resolve("f"), SHA, sink))
                .isInstanceOf(KkException.class)
                .hasMessageContaining("failed after 5 attempts: connection refused")
                .extracting(e -> ((KkException) e).kind())
                .isEqualTo(ErrorKind.ENVIRONMENT);
    }

    @Test
    void fetchSmallReadsTextAndTreats404AsAbsent() {
        server.text("/x.sha256", SHA + "\n");

        assertThat(downloader.fetchSmall(server.url("/x.sha256"))).contains(SHA + "\n");
        assertThat(downloader.fetchSmall(server.url("/nothing"))).isEmpty();
    }

    private List<Progress> progress() {
        List<Progress> list = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof Progress p) {
                list.add(p);
            }
        }
        return list;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
