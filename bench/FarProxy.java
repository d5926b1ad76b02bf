import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy that makes a local registry look far away (bench only; this kernel has no netem).
 * Each chunk of bytes, in each direction, is held for ONE_WAY_MS (so a round trip costs twice
 * that). Optionally each connection is limited to CONN_MBIT (a long-RTT TCP flow is limited by its
 * window: throughput = window / RTT, e.g. 1.25 MiB / 100 ms = 100 Mbit/s) and all connections
 * together to LINK_MBIT (the site's uplink). 0 means unlimited. Java so that the proxy itself is
 * cheap (a Python proxy was CPU-bound on this 2-core machine and distorted the figures).
 *
 * <p>Usage: java FarProxy.java LISTEN_PORT TARGET_HOST:PORT ONE_WAY_MS [CONN_MBIT [LINK_MBIT]]
 */
public class FarProxy {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private static long delayNanos;
    private static double connBytesPerNano;
    private static double linkBytesPerNano;
    private static long linkNext;

    private record Chunk(byte[] data, int len, long due) {}

    public static void main(String[] args) throws IOException {
        int listen = Integer.parseInt(args[0]);
        String[] target = args[1].split(":");
        delayNanos = (long) (Double.parseDouble(args[2]) * 1_000_000);
        connBytesPerNano = args.length > 3 ? Double.parseDouble(args[3]) * 1e6 / 8 / 1e9 : 0;
        linkBytesPerNano = args.length > 4 ? Double.parseDouble(args[4]) * 1e6 / 8 / 1e9 : 0;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), 128);
            while (true) {
                Socket client = server.accept();
                Thread t = new Thread(() -> connect(client, target[0], Integer.parseInt(target[1])));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void connect(Socket client, String host, int port) {
        try {
            Socket upstream = new Socket(host, port);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
            pipe(client, upstream, open);
            pipe(upstream, client, open);
        } catch (IOException e) {
            close(client);
        }
    }

    /** Reader thread: stamps chunks with their release time; writer thread: sends them then. */
    private static void pipe(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger open) {
        BlockingQueue<Chunk> q = new ArrayBlockingQueue<>(256);
        Thread reader = new Thread(() -> {
            long connNext = 0;
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    long due = System.nanoTime() + delayNanos;
                    if (connBytesPerNano > 0) {
                        connNext = Math.max(connNext, due) + (long) (n / connBytesPerNano);
                        due = connNext;
                    }
                    q.put(new Chunk(buf, n, due));
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
            try {
                q.put(new Chunk(END, 0, System.nanoTime() + delayNanos));
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = q.take();
                    long wait = c.due() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (linkBytesPerNano > 0 && c.len() > 0) {
                        // the shared link is taken when a chunk is sent, in the order chunks are
                        // due: reserving it when a chunk is read let one connection's read-ahead
                        // push every other connection's chunks seconds into the future
                        long start;
                        synchronized (FarProxy.class) {
                            start = Math.max(linkNext, System.nanoTime());
                            linkNext = start + (long) (c.len() / linkBytesPerNano);
                        }
                        long slot = start - System.nanoTime();
                        if (slot > 0) {
                            TimeUnit.NANOSECONDS.sleep(slot);
                        }
                    }
                    if (c.data() == END) {
                        to.shutdownOutput();
                        if (open.decrementAndGet() == 0) {
                            close(from);
                            close(to);
                        }
                        break;
                    }
                    out.write(c.data(), 0, c.len());
                }
            } catch (IOException | InterruptedException e) {
                close(from);
                close(to);
            }
        });
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
