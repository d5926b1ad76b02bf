package io.kk.image.registry;

import io.kk.image.Digests;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT's sha256 intrinsic compiled before blobs are hashed in parallel. Until the C2
 * compiler has compiled {@code SHA2.implCompress0} (a few MiB of hashing), sha256 runs interpreted
 * at a few MB/s; a dozen blob workers starting together would each pay that, which measured as most
 * of kk's CPU for a 200 MB export. One thread paying it once, while manifests are still being read,
 * costs a fraction of that.
 *
 * <p>That alone leaves the hashing on the one-block stub: C2 uses the multi-block stub only where
 * it compiles {@code DigestBase.engineUpdate} itself, and a blob worker calls that a few times per
 * MiB, so it was compiled only after ~100 MiB had been hashed ~15% slower (profiled with
 * async-profiler: 83% of a 1 GB export's hashing on {@code sha256_implCompress}). A second phase,
 * after the workers are released, makes enough small updates of the shapes the workers use
 * (whole blocks, a tail, a digest) to get it compiled without a deoptimization soon after.
 */
final class Sha256Warmup {
    private static final int CHUNK = 256 * 1024;
    /** At most this many chunks (16 MiB); the intrinsic usually arrives after 3-4 MiB. */
    private static final int MAX_CHUNKS = 64;
    /** A chunk hashed within this time ran compiled (~500 MB/s or better). */
    private static final long FAST_NANOS = CHUNK * 2L;
    /** Small updates in the second phase: past C2's invocation threshold for engineUpdate at the
     * scaling bin/jvm-options gives sun.security.provider (500), with room for a JVM without it. */
    private static final int SMALL_UPDATES = 3000;

    private static final int SMALL = 4096;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private Sha256Warmup() {}

    /** Starts the warm-up once per JVM, on a daemon thread. */
    static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(Sha256Warmup::run, "kk-sha256-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Waits (bounded) for the warm-up, so that blob workers do not all start hashing interpreted. */
    static void await(long millis) {
        start();
        try {
            DONE.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run() {
        try {
            MessageDigest md = Digests.newSha256();
            byte[] chunk = new byte[CHUNK];
            int fastInARow = 0;
            for (int i = 0; i < MAX_CHUNKS && fastInARow < 3; i++) {
                long t = System.nanoTime();
                md.update(chunk);
                fastInARow = System.nanoTime() - t < FAST_NANOS ? fastInARow + 1 : 0;
            }
            md.digest();
        } finally {
            DONE.countDown();
        }
        MessageDigest md = Digests.newSha256();
        byte[] chunk = new byte[SMALL + 64];
        for (int i = 0; i < SMALL_UPDATES; i++) {
            md.update(chunk, 0, i % 4 == 3 ? SMALL + 37 : SMALL);
            if (i % 16 == 15) {
                md.digest();
            }
        }
    }
}
