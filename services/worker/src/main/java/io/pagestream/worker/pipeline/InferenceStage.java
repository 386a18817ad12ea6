package io.pagestream.worker.pipeline;

import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.ResultMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs micro-batches on the engine. One thread takes batches from the {@link MicroBatcher} and submits them, keeping
 * at most {@code inFlight} batches at the engine (so the engine's continuous batching refills the slots that a
 * finishing batch frees with the next batch's pages); results are mapped on a second thread as pages finish.
 *
 * <p>The pieces: {@link BatchRun}, a batch at the engine holding its window permits; {@link PageRuns}, each page at
 * the engine, its timeout ({@code pageTimeout}: cancelled, TIMEOUT) and its outcome; {@link RetryPolicy}, carried
 * out by {@link PageFailures}, for a page that failed (out of memory: the batch limit halves; any other error: the
 * page is retried alone; after {@code maxAttempts} tries it becomes a failure record). A batch goes to the engine
 * only once its {@link Gate} lets it: the pipeline's gate records its pages as at the engine first, durably, so that
 * a page that kills the process is known when it comes back.
 */
public final class InferenceStage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InferenceStage.class.getName());

    /**
     * @param linger      how long a batch's first page waits for company
     * @param inFlight    micro-batches at the engine at once
     * @param pageTimeout a page's limit from submission to its last result
     * @param maxAttempts tries per page
     */
    public record Settings(Duration linger, int inFlight, Duration pageTimeout, int maxAttempts) {
        public Settings {
            if (inFlight < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("inFlight and maxAttempts must be at least 1");
            }
        }
    }

    /** Holds pages at the engine's door until they may go in. */
    @FunctionalInterface
    public interface Gate {
        /** Blocks until the pages may go to the engine; false when they never may (they are abandoned). */
        boolean admit(List<PageTask> pages) throws InterruptedException;
    }

    private final MicroBatcher<PreparedPage> batcher;
    private final Gate gate;
    private final AdaptiveLimits limits;
    private final Settings settings;
    private final PipelineMetrics metrics;
    private final PageTracing tracing;
    private final Semaphore window;
    private final PageRuns pages;
    private final Thread submitter;
    private volatile boolean failed;

    public InferenceStage(
            PageEngine engine,
            MicroBatcher<PreparedPage> batcher,
            Gate gate,
            AdaptiveLimits limits,
            Settings settings,
            ResultMapper results,
            FailureMapper failures,
            OutcomeSink sink,
            PipelineMetrics metrics,
            PageTracing tracing) {
        this.batcher = batcher;
        this.gate = gate;
        this.limits = limits;
        this.settings = settings;
        this.metrics = metrics;
        this.tracing = tracing;
        this.window = new Semaphore(settings.inFlight());
        PageFailures pageFailures =
                new PageFailures(new RetryPolicy(settings.maxAttempts()), batcher, limits, failures, sink, metrics);
        this.pages = new PageRuns(engine, settings.pageTimeout(), results, pageFailures, sink, metrics, tracing);
        this.submitter =
                Thread.ofPlatform().name("pagestream-inference").daemon().unstarted(this::loop);
    }

    public void start() {
        submitter.start();
    }

    /** Pages submitted to the engine and not finished. */
    public int pagesAtEngine() {
        return pages.pagesAtEngine();
    }

    /** True when the engine refused work because it broke, or the loop died: the worker needs a restart. */
    public boolean failed() {
        return failed || pages.engineClosed();
    }

    private void loop() {
        try {
            while (true) {
                // The window first, then the batch: pages keep gathering while the engine is busy, so batches
                // leave full whenever the engine is the bottleneck and only linger when it is idle.
                window.acquire();
                List<PreparedPage> batch = batcher.next(limits.current(), settings.linger());
                if (batch.isEmpty()) {
                    window.release();
                    return;
                }
                int permits = 1;
                if (batch.getFirst().isolated()) {
                    window.acquire(settings.inFlight() - 1);
                    permits = settings.inFlight();
                }
                launch(trim(batch), permits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the inference loop failed", e);
            failed = true;
        }
    }

    /**
     * A batch collected while an out-of-memory was shrinking the limit (it lingered as another batch failed) gives
     * its excess pages back to the front of the queue rather than run too big again.
     */
    private List<PreparedPage> trim(List<PreparedPage> batch) {
        int limit = limits.current().pages();
        if (batch.size() <= limit) {
            return batch;
        }
        for (int i = batch.size() - 1; i >= limit; i--) {
            batcher.putFirst(batch.get(i));
        }
        return batch.subList(0, limit);
    }

    private void launch(List<PreparedPage> batch, int permits) throws InterruptedException {
        BatchRun run = new BatchRun(batch.size(), permits, tracing.batch(batch), window, limits, metrics);
        metrics.batch(batch.size());
        boolean admitted = gate.admit(batch.stream().map(PreparedPage::task).toList());
        for (PreparedPage page : batch) {
            if (!admitted || page.task().abandoned()) {
                run.pageDone(false);
                continue;
            }
            pages.start(page, run);
        }
    }

    /** Stops the pages of revoked partitions at the engine, freeing their slots for pages still owned. */
    public void cancelAbandoned() {
        pages.cancelAbandoned();
    }

    @Override
    public void close() {
        batcher.close();
        submitter.interrupt();
        pages.cancelAll();
        try {
            submitter.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pages.shutdown();
    }
}
