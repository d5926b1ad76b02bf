package io.kk.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream whose reads give up when no bytes arrive for {@code timeout}
 * (the JDK client's own {@code ofInputStream} waits forever on a server that stops sending
 * mid-body). A timed-out or early-closed stream cancels the subscription, which drops the
 * connection. A few buffers are requested ahead so the socket keeps flowing while the reader hashes
 * and writes.
 */
final class TimedBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {
    private static final int AHEAD = 8;
    private static final Object END = new Object();

    private final long timeoutNanos;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<InputStream> body = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean completed;

    TimedBodySubscriber(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        body.complete(new Body());
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(AHEAD);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        completed = true;
        queue.add(END);
    }

    private final class Body extends InputStream {
        private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
        private ByteBuffer current;
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("the response body is closed");
            }
            if (len == 0) {
                return 0;
            }
            while (current == null || !current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (ended) {
                    return -1;
                }
                Object next;
                try {
                    next = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new java.io.InterruptedIOException("interrupted while reading a response");
                }
                if (next == null) {
                    close();
                    throw new SocketTimeoutException(
                            "no bytes for " + Duration.ofNanos(timeoutNanos).toSeconds() + " s: the server stalled");
                }
                if (next == END) {
                    ended = true;
                    return -1;
                }
                if (next instanceof Throwable t) {
                    ended = true;
                    throw t instanceof IOException io ? io : new IOException(t);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) next;
                buffers = list.iterator();
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(1);
                }
            }
            // then whatever else has arrived, without waiting: fewer, larger writes and hashes
            int n = 0;
            while (true) {
                int k = Math.min(len - n, current.remaining());
                current.get(b, off + n, k);
                n += k;
                if (n == len) {
                    return n;
                }
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                Object next = queue.peek();
                if (!(next instanceof List<?>)) {
                    return n;
                }
                queue.poll();
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) next;
                buffers = list.iterator();
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(1);
                }
            }
        }

        @Override
        public int available() {
            return current == null ? 0 : current.remaining();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            // a body received in full leaves the connection reusable; otherwise drop it
            if (!ended && !completed) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
            queue.clear();
        }
    }
}
