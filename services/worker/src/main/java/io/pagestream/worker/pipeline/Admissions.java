package io.pagestream.worker.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * Pages about to go to the engine, waiting until the poll thread has recorded them durably (see
 * {@link io.pagestream.worker.delivery.EngineAttempts}): the inference thread asks, the poll thread records them in
 * its next transaction and answers. So a page that kills the process is known to whoever polls it next.
 */
final class Admissions {
    /** A micro-batch's pages; {@code recorded} completes true once committed, false when they will never be. */
    record Admission(List<PageTask> pages, CompletableFuture<Boolean> recorded) {
        Admission {
            pages = List.copyOf(pages);
        }

        boolean allAbandoned() {
            return pages.stream().allMatch(PageTask::abandoned);
        }
    }

    private final ConcurrentLinkedQueue<Admission> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /**
     * Blocks until the pages are recorded as at the engine. False when they never will be: the Kafka session
     * ended or the pipeline stopped, and the pages are abandoned.
     */
    boolean admit(List<PageTask> pages) throws InterruptedException {
        Admission admission = new Admission(pages, new CompletableFuture<>());
        queue.add(admission);
        if (closed) {
            refuseAll();
        }
        try {
            return admission.recorded().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("recording an admission failed", e.getCause());
        }
    }

    /** The next waiting admission, for the poll thread; null when none. */
    Admission poll() {
        return queue.poll();
    }

    /** The poll loop stopped for good: every admission, waiting or to come, is refused. */
    void close() {
        closed = true;
        refuseAll();
    }

    private void refuseAll() {
        Admission admission;
        while ((admission = queue.poll()) != null) {
            admission.recorded().complete(false);
        }
    }
}
