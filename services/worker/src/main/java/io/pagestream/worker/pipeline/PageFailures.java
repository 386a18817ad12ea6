package io.pagestream.worker.pipeline;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.PageRef;
import io.pagestream.worker.output.Stage;

/**
 * Carries out what the {@link RetryPolicy} decides for a failed page: the batch limit shrunk, the page put back at
 * the front of the batcher, or the page given up as a failure outcome (its DLQ record and status event).
 */
final class PageFailures {
    private static final System.Logger LOG = System.getLogger(PageFailures.class.getName());

    private final RetryPolicy policy;
    private final MicroBatcher<PreparedPage> batcher;
    private final AdaptiveLimits limits;
    private final FailureMapper failures;
    private final OutcomeSink sink;
    private final PipelineMetrics metrics;

    PageFailures(
            RetryPolicy policy,
            MicroBatcher<PreparedPage> batcher,
            AdaptiveLimits limits,
            FailureMapper failures,
            OutcomeSink sink,
            PipelineMetrics metrics) {
        this.policy = policy;
        this.batcher = batcher;
        this.limits = limits;
        this.failures = failures;
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * Retries a failed page or gives it up; {@code refused} when the engine refused it at submit. Returns whether
     * the failure was one of memory, which shrank the batch limit.
     */
    boolean retryOrGiveUp(PreparedPage page, BatchRun batch, Throwable error, boolean refused, Context trace) {
        RetryPolicy.Decision decision = policy.afterFailure(page.attempt(), error, refused);
        if (decision.memory() && batch.shrinkOnce()) {
            int now = limits.shrink();
            LOG.log(
                    System.Logger.Level.WARNING,
                    () -> "out of memory or refused by the engine (" + Failure.describe(error)
                            + "): micro-batches now at most " + now + " pages");
        }
        switch (decision) {
            case RetryPolicy.GiveUp giveUp ->
                giveUp(
                        page,
                        Failure.of(
                                giveUp.reasonCode(),
                                Stage.INFERENCE,
                                "failed " + page.attempt() + " times, last",
                                error),
                        trace);
            case RetryPolicy.Retry retry -> {
                metrics.retry(retry.memory() ? "memory" : "error");
                LOG.log(
                        System.Logger.Level.INFO,
                        () -> "retrying page " + page.task().key() + (retry.alone() ? " alone" : "") + " after: "
                                + Failure.describe(error));
                batcher.putFirst(page.retry(retry.alone()));
            }
        }
        return decision.memory();
    }

    /** Gives the page up; its failure records carry {@code trace}, the context of its last attempt's span. */
    void giveUp(PreparedPage page, Failure failure, Context trace) {
        PageTracing.failed(Span.fromContext(trace), failure.reasonCode());
        PageTask task = page.task();
        sink.accept(new PageOutcome(
                task,
                failures.map(
                        PageRef.of(page.page()),
                        task.partition().topic(),
                        task.partition().partition(),
                        task.offset(),
                        failure,
                        page.attempt()),
                failure.reasonCode(),
                trace));
    }
}
