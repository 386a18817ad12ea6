package io.pagestream.ingest.render.isolated;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the render processes write to stderr (PDFBox's warnings about a broken file, a dying JVM's stack trace), passed
 * on to the service's log at most {@code lines} lines per interval for all processes together; past that the lines are
 * counted, and one line saying how many were suppressed is logged when the interval ends. A file built to make the
 * renderer complain on every operator would otherwise fill the disk with log.
 */
final class LogLimiter {
    private final int lines;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Consumer<String> log;
    private long intervalStart;
    private int passed;
    private long suppressed;

    LogLimiter(int lines, Duration interval, LongSupplier nanoClock, Consumer<String> log) {
        if (lines < 1 || !interval.isPositive()) {
            throw new IllegalArgumentException(
                    "at least one line per positive interval: " + lines + " per " + interval);
        }
        this.lines = lines;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.log = log;
        this.intervalStart = nanoClock.getAsLong();
    }

    synchronized void line(String line) {
        roll();
        if (passed < lines) {
            passed++;
            log.accept(line);
        } else {
            suppressed++;
        }
    }

    /** Ends the interval if its time is up, reporting what it suppressed: called by a timer, and before each line. */
    synchronized void roll() {
        long now = nanoClock.getAsLong();
        if (now - intervalStart >= intervalNanos) {
            report();
            intervalStart = now;
        }
    }

    /** Reports what the interval so far suppressed: the pool is closing. */
    synchronized void close() {
        report();
    }

    private void report() {
        if (suppressed > 0) {
            log.accept(String.format(
                    "suppressed %d more lines of render process output (at most %d per %s)",
                    suppressed, lines, Duration.ofNanos(intervalNanos)));
        }
        passed = 0;
        suppressed = 0;
    }
}
