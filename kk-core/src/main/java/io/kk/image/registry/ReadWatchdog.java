package io.kk.image.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives up blocking channel reads that waited past their deadline, by closing their connection: a
 * {@link java.nio.channels.SocketChannel} read has no timeout of its own (a socket stream's has, but
 * copies every byte twice). One daemon thread for the JVM, looking every {@link #TICK_MILLIS}, so
 * a stalled read ends within that much of its deadline.
 */
final class ReadWatchdog {
    static final long TICK_MILLIS = 50;

    /** Anything with a read in progress that can be given up. */
    interface Watched {
        /** nanoTime after which the read is given up; 0 when no read is in progress. */
        long readDeadline();

        /** Ends the read in progress (it then fails). */
        void giveUp();
    }

    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread;

    private ReadWatchdog() {}

    static void watch(Watched w) {
        WATCHED.add(w);
        if (thread == null) {
            start();
        }
    }

    static void unwatch(Watched w) {
        WATCHED.remove(w);
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(ReadWatchdog::run, "kk-read-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watched w : WATCHED) {
                long deadline = w.readDeadline();
                if (deadline != 0 && now - deadline > 0) {
                    WATCHED.remove(w);
                    w.giveUp();
                }
            }
        }
    }
}
