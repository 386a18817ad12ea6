package io.pagestream.worker.pipeline;

/**
 * Generated tokens per second over the last {@link #WINDOW_SECONDS} seconds: one counter per second in a ring, so a
 * gauge reads a current rate without depending on how often it is scraped. Thread-safe.
 */
final class TokenRate {
    static final int WINDOW_SECONDS = 30;

    private final long[] counts = new long[WINDOW_SECONDS];
    private final long[] seconds = new long[WINDOW_SECONDS];

    synchronized void add(long tokens, long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += tokens;
    }

    synchronized double perSecond(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (second - seconds[i] < WINDOW_SECONDS) {
                total += counts[i];
            }
        }
        return total / (double) WINDOW_SECONDS;
    }
}
