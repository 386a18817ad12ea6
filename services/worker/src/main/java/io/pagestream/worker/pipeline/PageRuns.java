package io.pagestream.worker.pipeline;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.RequestRejectedException;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.model.PageEngine.PromptRun;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.output.Failure;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pages at the engine. {@link #start} submits a page's prompts, in chunks the engine can start at once, under
 * a timeout; when they end, on the results thread, the page becomes an outcome (its OCR and answers, or a failure)
 * or goes back for another try (see {@link PageFailures}).
 */
final class PageRuns {
    private static final System.Logger LOG = System.getLogger(PageRuns.class.getName());
    private static final AttributeKey<Long> PROMPT_TOKENS = AttributeKey.longKey("pagestream.tokens.prompt");
    private static final AttributeKey<Long> GENERATED_TOKENS = AttributeKey.longKey("pagestream.tokens.generated");
    private static final AttributeKey<Boolean> ABANDONED = AttributeKey.booleanKey("pagestream.page.abandoned");

    private final PageEngine engine;
    private final Duration pageTimeout;
    private final ResultMapper results;
    private final PageFailures failures;
    private final OutcomeSink sink;
    private final PipelineMetrics metrics;
    private final PageTracing tracing;
    private final Set<PageRun> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pagesAtEngine = new AtomicInteger();
    private final ExecutorService completions = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("pagestream-results").daemon().factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("pagestream-timeouts").daemon().factory());
    private volatile boolean engineClosed;

    PageRuns(
            PageEngine engine,
            Duration pageTimeout,
            ResultMapper results,
            PageFailures failures,
            OutcomeSink sink,
            PipelineMetrics metrics,
            PageTracing tracing) {
        this.engine = engine;
        this.pageTimeout = pageTimeout;
        this.results = results;
        this.failures = failures;
        this.sink = sink;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    int pagesAtEngine() {
        return pagesAtEngine.get();
    }

    /** True once the engine refused a page still owned because it closed or its loop died. */
    boolean engineClosed() {
        return engineClosed;
    }

    /** Submits the page; a refusal is retried or given up, a closed engine only drops it. */
    void start(PreparedPage page, BatchRun batch) {
        Span span = tracing.inference(page, batch.span());
        Context trace = Context.root().with(span);
        List<List<PromptSpec>> chunks = chunks(page.prompts(), engine.slots());
        List<PromptRun> runs = new ArrayList<>();
        List<Integer> chunkOf = new ArrayList<>();
        try {
            for (int c = 0; c < chunks.size(); c++) {
                List<GenerationRequest> requests =
                        chunks.get(c).stream().map(PromptSpec::request).toList();
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
                    failures.retryOrGiveUp(page, batch, e, true, trace);
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
                LOG.log(
                        System.Logger.Level.ERROR,
                        "the engine refused page " + page.task().key(),
                        e);
                engineClosed = true;
            }
            batch.pageDone(false);
            return;
        }
        PageRun run = new PageRun(page, batch, runs, chunkOf, trace);
        running.add(run);
        pagesAtEngine.incrementAndGet();
        run.timeoutAt(timer.schedule(run::expire, pageTimeout.toNanos(), TimeUnit.NANOSECONDS));
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
        run.ended();
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
                memoryFailure = failures.retryOrGiveUp(page, run.batch, error, false, run.trace);
                return;
            }
            List<PromptResult> prompts = run.results();
            if (prompts.stream().anyMatch(p -> p.result().finishReason() == FinishReason.CANCELLED)) {
                failures.giveUp(
                        page,
                        run.expired()
                                ? Failure.of(Failure.TIMEOUT, Stage.INFERENCE, "not done after " + pageTimeout, null)
                                : Failure.of(
                                        Failure.INTERNAL_ERROR, Stage.INFERENCE, "cancelled while still owned", null),
                        run.trace);
                return;
            }
            record(run, prompts);
            sink.accept(new PageOutcome(
                    page.task(),
                    results.map(page.page(), page.tiles().tileCount(), run.batch.pages(), prompts, page.unasked()),
                    null,
                    run.trace));
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "mapping the results of page " + run.page.task().key() + " failed",
                    e);
            failures.giveUp(
                    run.page, Failure.of(Failure.INTERNAL_ERROR, Stage.INFERENCE, "unexpected error", e), run.trace);
        } finally {
            run.span().end();
            run.batch.pageDone(memoryFailure);
        }
    }

    /** The page's token counts and times, in the metrics and on its span. */
    private void record(PageRun run, List<PromptResult> prompts) {
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
    }

    /** Stops the pages of revoked partitions at the engine, freeing their slots for pages still owned. */
    void cancelAbandoned() {
        running.stream().filter(run -> run.page.task().abandoned()).forEach(PageRun::cancel);
    }

    void cancelAll() {
        running.forEach(PageRun::cancel);
    }

    /** Stops the timeouts and lets the results thread end once its queued work is done. */
    void shutdown() {
        timer.shutdownNow();
        completions.shutdown();
    }
}
