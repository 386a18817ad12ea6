package io.pagestream.worker.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's meters, named {@code pagestream.worker.*} (Prometheus: {@code pagestream_worker_*}): batch sizes,
 * queue depths, pages by outcome, tokens and tokens per second, prefill and decode time, transactions.
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary batchPages;
    private final Timer batchTime;
    private final Counter promptTokens;
    private final Counter generatedTokens;
    private final Timer prefill;
    private final Timer decode;
    private final Timer pageLatency;
    private final Timer commitTime;
    private final TokenRate rate = new TokenRate();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchPages = DistributionSummary.builder("pagestream.worker.batch.pages")
                .description("Pages per micro-batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        this.batchTime = Timer.builder("pagestream.worker.batch.duration")
                .description("A micro-batch from submission to its last page's result")
                .register(registry);
        this.promptTokens = Counter.builder("pagestream.worker.tokens.prompt")
                .description("Prompt tokens prefilled, image tokens included")
                .register(registry);
        this.generatedTokens = Counter.builder("pagestream.worker.tokens.generated")
                .description("Tokens generated")
                .register(registry);
        this.prefill = Timer.builder("pagestream.worker.prefill")
                .description("Prefill time per page: image encoding and the prompts' prefill")
                .register(registry);
        this.decode = Timer.builder("pagestream.worker.decode")
                .description("Decode time per page: first token to last")
                .register(registry);
        this.pageLatency = Timer.builder("pagestream.worker.page.latency")
                .description("A page from poll to the commit of its results")
                .register(registry);
        this.commitTime = Timer.builder("pagestream.worker.commit")
                .description("One transaction: results, offsets, commit")
                .register(registry);
        Gauge.builder("pagestream.worker.tokens.per.second", this, m -> m.rate.perSecond(System.nanoTime()))
                .description("Generated tokens per second over the last 30 s")
                .register(registry);
    }

    public void gauge(String name, String description, Tags tags, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    void batch(int pages) {
        batchPages.record(pages);
    }

    void batchDone(Duration elapsed) {
        batchTime.record(elapsed);
    }

    void page(int prompt, int generated, double prefillMillis, double decodeMillis) {
        promptTokens.increment(prompt);
        generatedTokens.increment(generated);
        rate.add(generated, System.nanoTime());
        prefill.record(Duration.ofNanos((long) (prefillMillis * 1e6)));
        decode.record(Duration.ofNanos((long) (decodeMillis * 1e6)));
    }

    void retry(String cause) {
        registry.counter("pagestream.worker.retries", "cause", cause).increment();
    }

    void committed(PageOutcome outcome, long nowNanos) {
        registry.counter(
                        "pagestream.worker.pages",
                        "outcome",
                        outcome.failed() ? "failed" : "ok",
                        "reason",
                        outcome.failed() ? outcome.failureReason() : "none")
                .increment();
        pageLatency.record(Duration.ofNanos(nowNanos - outcome.task().polledNanos()));
    }

    void transaction(boolean committed, Duration elapsed) {
        registry.counter("pagestream.worker.transactions", "result", committed ? "committed" : "aborted")
                .increment();
        if (committed) {
            commitTime.record(elapsed);
        }
    }

    void abandoned(int pages) {
        registry.counter("pagestream.worker.pages.abandoned").increment(pages);
    }
}
