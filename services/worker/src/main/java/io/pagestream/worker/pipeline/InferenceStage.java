package io.pagestream.worker.pipeline;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.RequestRejectedException;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.model.PageEngine.PromptRun;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.PageRef;
import io.pagestream.worker.output.PromptResult;
import io.pagestream.worker.output.ResultMapper;
import io.pagestream.worker.output.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs micro-batches on the engine. One thread takes batches from the {@link MicroBatcher} and submits them, keeping
 * at most {@code inFlight} batches at the engine (so the engine's continuous batching refills the slots that a
 * finishing batch frees with the next batch's pages); results are mapped on a second thread as pages finish.
 *
 * <p>Failures, page by page: a page whose prompts fail with an out-of-memory error (or that the engine refuses)
 * halves the batch limit and is retried; a page failing with any other error is retried alone, with the engine to
 * itself, so one bad page never fails its batch-mates twice and a failure seen alone is that page's own; a page not
 * done within {@code pageTimeout} is cancelled and fails with TIMEOUT. After {@code maxAttempts} tries, or on a
 * timeout, the page becomes a failure record.
 */
public final class InferenceStage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InferenceStage.class.getName());
    private static final AttributeKey<Long> PROMPT_TOKENS = AttributeKey.longKey("pagestream.tokens.prompt");
    private static final AttributeKey<Long> GENERATED_TOKENS = AttributeKey.longKey("pagestream.tokens.generated");
    private static final AttributeKey<Boolean> ABANDONED = AttributeKey.booleanKey("pagestream.page.abandoned");

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

    private final PageEngine engine;
    private final MicroBatcher<PreparedPage> batcher;
    private final AdaptiveLimits limits;
    private final Settings settings;
    private final ResultMapper results;
    private final FailureMapper failures;
    private final OutcomeSink sink;
    private final PipelineMetrics metrics;
    private final PageTracing tracing;
    private final Semaphore window;
    private final Set<PageRun> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pagesAtEngine = new AtomicInteger();
    private final ExecutorService completions;
    private final ScheduledExecutorService timer;
    private final Thread submitter;
    private volatile boolean failed;

    public InferenceStage(PageEngine engine, MicroBatcher<PreparedPage> batcher, AdaptiveLimits limits,
            Settings settings, ResultMapper results, FailureMapper failures, OutcomeSink sink,
            PipelineMetrics metrics, PageTracing tracing) {
        this.engine = engine;
        this.batcher = batcher;
        this.limits = limits;
        this.settings = settings;
        this.results = results;
        this.failures = failures;
        this.sink = sink;
        this.metrics = metrics;
        this.tracing = tracing;
        this.window = new Semaphore(settings.inFlight());
        this.completions = Executors.newSingleThreadExecutor(daemon("pagestream-results"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("pagestream-timeouts"));
        this.submitter = daemon("pagestream-inference").newThread(this::loop);
    }

    public void start() {
        submitter.start();
    }

    /** Pages submitted to the engine and not finished. */
    public int pagesAtEngine() {
        return pagesAtEngine.get();
    }

    /** True when the engine refused work because it broke, or the loop died: the worker needs a restart. */
    public boolean failed() {
        return failed;
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

    private void launch(List<PreparedPage> batch, int permits) {
        BatchRun run = new BatchRun(batch.size(), permits, System.nanoTime(), tracing.batch(batch));
        metrics.batch(batch.size());
        for (PreparedPage page : batch) {
            if (page.task().abandoned()) {
                run.pageDone(false);
                continue;
            }
            launch(page, run);
        }
    }

    private void launch(PreparedPage page, BatchRun batch) {
        Span span = tracing.inference(page, batch.span);
        Context trace = Context.root().with(span);
        List<List<PromptSpec>> chunks = chunks(page.prompts(), engine.slots());
        List<PromptRun> runs = new ArrayList<>();
        List<Integer> chunkOf = new ArrayList<>();
        try {
            for (int c = 0; c < chunks.size(); c++) {
                List<GenerationRequest> requests = chunks.get(c).stream().map(PromptSpec::request).toList();
                for (PromptRun r : engine.submit(new PageRequest(List.of(page.tiles()), requests))) {
                    runs.add(r);
                    chunkOf.add(c);
                }
            }
        } catch (RequestRejectedException e) {
            runs.forEach(r -> r.cancel().run());
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, "refused by the engine");
            span.end();
            completions.execute(() -> {
                try {
                    retryOrFail(page, batch, e, true, trace);
                } finally {
                    batch.pageDone(true);
                }
            });
            return;
        } catch (IllegalStateException e) {
            // The engine closed (shutdown) or its loop died: nothing more can run here.
            runs.forEach(r -> r.cancel().run());
            span.recordException(e);
            span.end();
            if (!page.task().abandoned()) {
                LOG.log(System.Logger.Level.ERROR, "the engine refused page " + page.task().key(), e);
                failed = true;
            }
            batch.pageDone(false);
            return;
        }
        PageRun run = new PageRun(page, batch, runs, chunkOf, trace);
        running.add(run);
        pagesAtEngine.incrementAndGet();
        run.timeout = timer.schedule(run::expire, settings.pageTimeout().toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture.allOf(runs.stream().map(PromptRun::result).toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> completions.execute(() -> finish(run)));
    }

    /** A page's prompts in groups the engine can start at once (all prompts of one group share one prefill). */
    static List<List<PromptSpec>> chunks(List<PromptSpec> prompts, int slots) {
        List<List<PromptSpec>> chunks = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i += slots) {
            chunks.add(prompts.subList(i, Math.min(prompts.size(), i + slots)));
        }
        return chunks;
    }

    private void finish(PageRun run) {
        run.timeout.cancel(false);
        running.remove(run);
        pagesAtEngine.decrementAndGet();
        boolean memoryFailure = false;
        try {
            PreparedPage page = run.page;
            if (page.task().abandoned()) {
                run.span().setAttribute(ABANDONED, true);
                return;
            }
            Throwable error = run.error();
            if (error != null) {
                run.span().recordException(error);
                run.span().setStatus(StatusCode.ERROR, Failure.describe(error));
                memoryFailure = retryOrFail(page, run.batch, error, OutOfMemory.is(error), run.trace);
                return;
            }
            List<PromptResult> prompts = run.results();
            if (prompts.stream().anyMatch(p -> p.result().finishReason() == FinishReason.CANCELLED)) {
                fail(page, run.expired
                        ? Failure.of(Failure.TIMEOUT, Stage.INFERENCE, "not done after " + settings.pageTimeout(), null)
                        : Failure.of(Failure.INTERNAL_ERROR, Stage.INFERENCE, "cancelled while still owned", null),
                        run.trace);
                return;
            }
            int promptTokens = 0;
            int generated = 0;
            double prefillMs = 0;
            double decodeMs = 0;
            for (PromptResult p : prompts) {
                promptTokens += p.result().promptTokenIds().length;
                generated += p.result().tokenIds().length;
                prefillMs += p.result().timings().prefillMs();
                decodeMs = Math.max(decodeMs, p.result().timings().decodeMs());
            }
            prefillMs += prompts.getFirst().result().timings().visionMs()
                    + prompts.getFirst().result().timings().prefixMs();
            metrics.page(promptTokens, generated, prefillMs, decodeMs);
            run.span().setAttribute(PROMPT_TOKENS, (long) promptTokens);
            run.span().setAttribute(GENERATED_TOKENS, (long) generated);
            sink.accept(new PageOutcome(page.task(), results.map(page.page(), page.tiles().tileCount(),
                    run.batch.pages, prompts), null, run.trace));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "mapping the results of page " + run.page.task().key() + " failed", e);
            fail(run.page, Failure.of(Failure.INTERNAL_ERROR, Stage.INFERENCE, "unexpected error", e), run.trace);
        } finally {
            run.span().end();
            run.batch.pageDone(memoryFailure);
        }
    }

    /**
     * Retries a failed page or gives it up. Returns whether the failure was one of memory, which shrank the batch
     * limit.
     */
    private boolean retryOrFail(PreparedPage page, BatchRun batch, Throwable error, boolean memory,
            Context trace) {
        if (memory && batch.shrinkOnce()) {
            int now = limits.shrink();
            LOG.log(System.Logger.Level.WARNING, () -> "out of memory or refused by the engine ("
                    + Failure.describe(error) + "): micro-batches now at most " + now + " pages");
        }
        if (page.attempt() >= settings.maxAttempts()) {
            String reason = error instanceof RequestRejectedException ? Failure.TOO_LARGE : Failure.INFERENCE_ERROR;
            fail(page, Failure.of(reason, Stage.INFERENCE, "failed " + page.attempt() + " times, last", error), trace);
            return memory;
        }
        boolean alone = !memory;
        metrics.retry(memory ? "memory" : "error");
        LOG.log(System.Logger.Level.INFO, () -> "retrying page " + page.task().key() + (alone ? " alone" : "")
                + " after: " + Failure.describe(error));
        batcher.putFirst(page.retry(alone));
        return memory;
    }

    /** Gives the page up; its failure records carry {@code trace}, the context of its last attempt's span. */
    private void fail(PreparedPage page, Failure failure, Context trace) {
        PageTracing.failed(Span.fromContext(trace), failure.reasonCode());
        PageTask task = page.task();
        sink.accept(new PageOutcome(task, failures.map(PageRef.of(page.page()), task.partition().topic(),
                task.partition().partition(), task.offset(), failure, page.attempt()), failure.reasonCode(), trace));
    }

    /** Stops the pages of revoked partitions at the engine, freeing their slots for pages still owned. */
    public void cancelAbandoned() {
        running.stream().filter(run -> run.page.task().abandoned()).forEach(PageRun::cancel);
    }

    @Override
    public void close() {
        batcher.close();
        submitter.interrupt();
        running.forEach(PageRun::cancel);
        try {
            submitter.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        completions.shutdown();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One micro-batch at the engine: releases its window permits and ends its span when its last page is done. */
    private final class BatchRun {
        private final int pages;
        private final int permits;
        private final long startNanos;
        private final Span span;
        private int left;
        private boolean memoryFailure;
        private boolean shrunk;

        BatchRun(int pages, int permits, long startNanos, Span span) {
            this.span = span;
            this.pages = pages;
            this.left = pages;
            this.permits = permits;
            this.startNanos = startNanos;
        }

        synchronized boolean shrinkOnce() {
            if (shrunk) {
                return false;
            }
            shrunk = true;
            return true;
        }

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

    /** One page at the engine: its prompt runs, the chunk each belongs to, and its span's context. */
    private static final class PageRun {
        final PreparedPage page;
        final BatchRun batch;
        final List<PromptRun> runs;
        final List<Integer> chunkOf;
        final Context trace;
        volatile ScheduledFuture<?> timeout;
        volatile boolean expired;

        PageRun(PreparedPage page, BatchRun batch, List<PromptRun> runs, List<Integer> chunkOf, Context trace) {
            this.page = page;
            this.trace = trace;
            this.batch = batch;
            this.runs = runs;
            this.chunkOf = chunkOf;
        }

        Span span() {
            return Span.fromContext(trace);
        }

        void expire() {
            expired = true;
            cancel();
        }

        void cancel() {
            runs.forEach(r -> r.cancel().run());
        }

        Throwable error() {
            for (PromptRun r : runs) {
                if (r.result().isCompletedExceptionally()) {
                    try {
                        r.result().join();
                    } catch (RuntimeException e) {
                        return e.getCause() != null ? e.getCause() : e;
                    }
                }
            }
            return null;
        }

        List<PromptResult> results() {
            List<PromptResult> out = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                GenerationResult result = runs.get(i).result().join();
                out.add(new PromptResult(page.prompts().get(i), result, chunkOf.get(i)));
            }
            return out;
        }
    }
}
