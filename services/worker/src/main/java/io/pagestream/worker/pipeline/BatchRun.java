package io.pagestream.worker.pipeline;

import io.opentelemetry.api.trace.Span;
import io.pagestream.worker.batch.AdaptiveLimits;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * One micro-batch at the engine. When its last page is done it gives its permits back to the in-flight window, ends
 * its span, records its duration and, when none of its pages failed for memory, counts a clean batch towards growing
 * the batch limit back.
 */
final class BatchRun {
    private final int pages;
    private final int permits;
    private final long startNanos;
    private final Span span;
    private final Semaphore window;
    private final AdaptiveLimits limits;
    private final PipelineMetrics metrics;
    private int left;
    private boolean memoryFailure;
    private boolean shrunk;

    BatchRun(int pages, int permits, Span span, Semaphore window, AdaptiveLimits limits, PipelineMetrics metrics) {
        this.pages = pages;
        this.permits = permits;
        this.startNanos = System.nanoTime();
        this.span = span;
        this.window = window;
        this.limits = limits;
        this.metrics = metrics;
        this.left = pages;
    }

    /** Pages the batch started with. */
    int pages() {
        return pages;
    }

    /** The batch's span, which its pages' inference spans link to. */
    Span span() {
        return span;
    }

    /** True the first time only: one batch that ran out of memory shrinks the limit once, not once per page. */
    synchronized boolean shrinkOnce() {
        if (shrunk) {
            return false;
        }
        shrunk = true;
        return true;
    }

    /** A page of the batch is done; {@code memory} when it failed for memory (or was refused). */
    void pageDone(boolean memory) {
        boolean last;
        synchronized (this) {
            memoryFailure |= memory;
            last = --left == 0;
        }
        if (last) {
            if (!memoryFailure) {
                limits.succeeded();
            }
            metrics.batchDone(Duration.ofNanos(System.nanoTime() - startNanos));
            span.end();
            window.release(permits);
        }
    }
}
