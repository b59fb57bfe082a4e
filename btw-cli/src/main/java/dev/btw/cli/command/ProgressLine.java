package dev.btw.cli.command;

import dev.btw.app.store.EncodeProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows encoding progress on standard error: a redrawn bar with rate and ETA on a terminal, plain lines every few
 * seconds otherwise (logs, CI).
 */
final class ProgressLine implements EncodeProgress {

    private static final long BAR_EVERY_NANOS = 200_000_000L;
    private static final long LINE_EVERY_NANOS = 5_000_000_000L;
    private static final int WIDTH = 30;
    /** Below this much time since a modality started, no rate is shown: it would be noise. */
    private static final double MIN_RATE_SECONDS = 0.5;

    private final PrintStream err;
    private final boolean terminal;
    private long start;
    private long last;
    private String current = "";

    ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void update(String modality, long done, long total) {
        long now = System.nanoTime();
        if (!modality.equals(current) || done == 0) {
            current = modality;
            start = now;
            last = 0;
        }
        boolean finished = done >= total;
        if (!finished && now - last < (terminal ? BAR_EVERY_NANOS : LINE_EVERY_NANOS)) {
            return;
        }
        last = now;
        double secs = (now - start) / 1e9;
        double rate = secs < MIN_RATE_SECONDS ? 0 : done / secs;
        String eta = rate > 0 ? time((total - done) / rate) : "?";
        if (terminal) {
            int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
            err.printf(
                    "\r%-12s [%s%s] %d/%d %s/s ETA %s   ",
                    modality, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate(rate), eta);
            if (finished) {
                err.println();
            }
        } else {
            err.printf(
                    "encode %s: %d/%d (%d%%), %s/s, ETA %s%n",
                    modality, done, total, total == 0 ? 100 : 100 * done / total, rate(rate), eta);
        }
        err.flush();
    }

    /**
     * @param rate instances per second, 0 when too little time passed to measure one
     * @return the rate with one decimal, or {@code -} when unmeasured (a modality read from the store in a few
     *     microseconds would otherwise show billions per second)
     */
    static String rate(double rate) {
        return rate > 0 ? String.format(Locale.ROOT, "%.1f", rate) : "-";
    }

    private static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
