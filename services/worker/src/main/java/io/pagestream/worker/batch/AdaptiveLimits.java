package io.pagestream.worker.batch;

/**
 * The page limit of micro-batches, adapted to what the accelerator's memory takes: halved when a batch runs out of
 * memory (or the engine refuses it), then grown back by one page after every {@link #GROW_AFTER} batches in a row
 * that ran cleanly, up to the configured maximum — additive increase, multiplicative decrease, so one bad moment
 * does not pin the batch small and repeated failures back off fast. Thread-safe.
 */
public final class AdaptiveLimits {
    static final int GROW_AFTER = 4;

    private final BatchLimits max;
    private int pages;
    private int cleanBatches;

    public AdaptiveLimits(BatchLimits max) {
        this.max = max;
        this.pages = max.pages();
    }

    public synchronized BatchLimits current() {
        return max.withPages(pages);
    }

    /** A batch ran out of memory: halve the page limit. Returns the new limit. */
    public synchronized int shrink() {
        pages = Math.max(1, pages / 2);
        cleanBatches = 0;
        return pages;
    }

    /** A batch ran without a memory failure. */
    public synchronized void succeeded() {
        if (pages < max.pages() && ++cleanBatches >= GROW_AFTER) {
            pages++;
            cleanBatches = 0;
        }
    }
}
