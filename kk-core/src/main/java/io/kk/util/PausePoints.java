package io.kk.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Named points where a test can stop a real kk process, to SIGKILL it exactly there. Inert unless
 * the JVM runs with {@code -Dkk.pauseAt=NAME[,NAME...]} and {@code -Dkk.pauseMarker=FILE}: the
 * first point whose name equals a NAME (or starts with it, for a NAME ending in {@code *}) creates
 * FILE, holding the point's name, and blocks its thread for good. The test waits for FILE and kills
 * the process: no timing involved.
 */
public final class PausePoints {
    private static final List<String> NAMES = Arrays.stream(
                    System.getProperty("kk.pauseAt", "").split(","))
            .map(String::strip)
            .filter(n -> !n.isEmpty())
            .toList();
    private static final String MARKER = System.getProperty("kk.pauseMarker", "");

    private PausePoints() {}

    /** Reached {@code name}: returns at once, unless a test asked to stop here. */
    public static void reached(String name) {
        if (NAMES.isEmpty() || MARKER.isEmpty() || !matches(name)) {
            return;
        }
        synchronized (PausePoints.class) {
            try {
                Path marker = Path.of(MARKER);
                if (!Files.exists(marker)) {
                    // not AtomicFiles: its own pause point would call back here
                    Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
                    Files.writeString(tmp, name + "\n");
                    Files.move(tmp, marker, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                while (true) {
                    PausePoints.class.wait(); // until the test's SIGKILL
                }
            } catch (IOException | InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("pause point " + name + ": " + e, e);
            }
        }
    }

    private static boolean matches(String name) {
        for (String n : NAMES) {
            if (n.endsWith("*") ? name.startsWith(n.substring(0, n.length() - 1)) : name.equals(n)) {
                return true;
            }
        }
        return false;
    }
}
