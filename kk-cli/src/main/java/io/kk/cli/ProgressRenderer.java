package io.kk.cli;

import io.kk.event.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Renders {@link Progress} events as one status line on stderr that is redrawn in place on a
 * terminal, and as sparse plain lines (start, every 10%, end) when stderr is a log file or pipe.
 */
final class ProgressRenderer {
    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private String lastTask = "";
    private int lastDecile = -1;
    private boolean lineOpen;

    ProgressRenderer(PrintStream err) {
        this.err = err;
    }

    synchronized void render(Progress p) {
        String line = format(p);
        if (terminal) {
            err.print("\r\033[K" + line);
            lineOpen = !p.finished();
            if (p.finished()) {
                err.println();
            }
            err.flush();
            return;
        }
        int decile = p.total() > 0 ? (int) Math.min(10, p.done() * 10 / p.total()) : -1;
        boolean newTask = !p.task().equals(lastTask);
        if (newTask || p.finished() || decile != lastDecile) {
            err.println(line);
        }
        lastTask = p.finished() ? "" : p.task();
        lastDecile = decile;
    }

    synchronized void clearLine() {
        if (terminal && lineOpen) {
            err.print("\r\033[K");
            lineOpen = false;
        }
    }

    static String format(Progress p) {
        String amount = p.total() >= 0
                ? amount(p.done(), p.unit()) + "/" + amount(p.total(), p.unit())
                : amount(p.done(), p.unit());
        String pct = p.total() > 0 ? String.format(Locale.ROOT, " %3d%%", p.done() * 100 / p.total()) : "";
        return p.label() + pct + " " + amount + (p.finished() ? " done" : "");
    }

    static String amount(long n, String unit) {
        if (!"B".equals(unit)) {
            return n + " " + unit;
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
