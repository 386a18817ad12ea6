package io.pagestream.worker.pipeline;

import io.micrometer.core.instrument.Tags;
import io.pagestream.schema.PageImage;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.BatchLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.model.PageEngine;
import io.pagestream.worker.output.AnswerReader;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.ResultMapper;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The worker's stages wired together: poll loop → decode stage → micro-batcher → inference stage → poll loop
 * (publish and commit). Each stage has its own threads and a bounded queue; the poll loop's in-flight bound is the
 * back-pressure that keeps all of them bounded.
 */
public final class Pipeline implements AutoCloseable {
    private final PollLoop poll;
    private final DecodeStage decode;
    private final MicroBatcher<PreparedPage> batcher;
    private final InferenceStage inference;
    private final AdaptiveLimits limits;
    private final Outcomes outcomes;

    private Pipeline(
            PollLoop poll,
            DecodeStage decode,
            MicroBatcher<PreparedPage> batcher,
            InferenceStage inference,
            AdaptiveLimits limits,
            Outcomes outcomes) {
        this.poll = poll;
        this.decode = decode;
        this.batcher = batcher;
        this.inference = inference;
        this.limits = limits;
        this.outcomes = outcomes;
    }

    public static Pipeline create(
            WorkerConfig config,
            ModelRuntime model,
            KafkaClients clients,
            Deserializer<PageImage> values,
            PipelineMetrics metrics,
            PageTracing tracing,
            Clock clock) {
        WorkerConfig.Pipeline p = config.pipeline();
        WorkerConfig.Batch b = config.batch();
        PageEngine engine = model.engine();
        ResultMapper results = new ResultMapper(model.identity(), config.instanceId(), clock, AnswerReader.of(config));
        FailureMapper failures = new FailureMapper(config.instanceId(), clock);
        AdaptiveLimits limits = new AdaptiveLimits(limits(b, engine));
        Outcomes outcomes = new Outcomes();
        Admissions admissions = new Admissions();
        MicroBatcher<PreparedPage> batcher = new MicroBatcher<>(p.preparedPages());
        PageDecoder decoder =
                new PageDecoder(Topics.DOCUMENTS_PAGES.name(), values, engine, model.prompts(), p.maxImagePixels());
        // Room for every page the poll loop may hold, twice: pages of an abandoned session may still be queued.
        int decodeCapacity = 2 * (p.maxInFlightPages() + clients.maxPollRecords());
        DecodeStage decode = new DecodeStage(
                p.decodeThreads(),
                decodeCapacity,
                decoder,
                p.maxAttempts(),
                results,
                failures,
                batcher,
                outcomes,
                tracing);
        InferenceStage inference = new InferenceStage(
                engine,
                batcher,
                admissions::admit,
                limits,
                new InferenceStage.Settings(b.linger(), b.inFlight(), p.pageTimeout(), p.maxAttempts()),
                results,
                failures,
                outcomes,
                metrics,
                tracing);
        PollLoop poll = new PollLoop(
                clients,
                new PollLoop.Settings(
                        Topics.DOCUMENTS_PAGES.name(),
                        p.maxInFlightPages(),
                        p.commitInterval(),
                        p.pollTimeout(),
                        p.shutdownGrace()),
                outcomes,
                admissions,
                decode::submit,
                inference::cancelAbandoned,
                metrics,
                tracing);
        Pipeline pipeline = new Pipeline(poll, decode, batcher, inference, limits, outcomes);
        pipeline.register(metrics);
        return pipeline;
    }

    /**
     * The micro-batch bounds: configured pages; prompts no more than the engine's slots; the token budget as
     * configured, else the engine's whole KV budget (slots × positions per slot).
     */
    static BatchLimits limits(WorkerConfig.Batch batch, PageEngine engine) {
        long tokens = batch.tokenBudget() > 0 ? batch.tokenBudget() : (long) engine.slots() * engine.slotTokens();
        return new BatchLimits(batch.maxPages(), engine.slots(), tokens);
    }

    private void register(PipelineMetrics metrics) {
        String depth = "pagestream.worker.queue.depth";
        String what = "Pages waiting at each stage";
        metrics.gauge(depth, what, Tags.of("stage", "decode"), decode::queued);
        metrics.gauge(depth, what, Tags.of("stage", "batch"), batcher::size);
        metrics.gauge(depth, what, Tags.of("stage", "engine"), inference::pagesAtEngine);
        metrics.gauge(depth, what, Tags.of("stage", "commit"), outcomes::size);
        metrics.gauge(
                "pagestream.worker.in.flight", "Pages polled and not yet committed", Tags.empty(), poll::inFlight);
        metrics.gauge(
                "pagestream.worker.consumer.paused",
                "1 while the consumer is paused for back-pressure",
                Tags.empty(),
                () -> poll.paused() ? 1 : 0);
        metrics.gauge(
                "pagestream.worker.batch.limit.pages",
                "Current page limit of a micro-batch (shrinks on " + "out-of-memory)",
                Tags.empty(),
                () -> limits.current().pages());
    }

    public void start() {
        inference.start();
        poll.start();
    }

    public PollLoop poll() {
        return poll;
    }

    public InferenceStage inference() {
        return inference;
    }

    public AdaptiveLimits limits() {
        return limits;
    }

    /** Healthy: polling recently and the engine stage has not failed. */
    public boolean healthy(Duration pollLimit) {
        return poll.polling(pollLimit) && !inference.failed();
    }

    /** Graceful stop: finishes or hands back in-flight pages (see {@link PollLoop}), then stops the stages. */
    @Override
    public void close() {
        poll.close();
        decode.close();
        inference.close();
    }
}
