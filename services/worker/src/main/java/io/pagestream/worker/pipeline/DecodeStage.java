package io.pagestream.worker.pipeline;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.schema.PageImage;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.PageFailedException;
import io.pagestream.worker.output.PageRef;
import io.pagestream.worker.output.ResultMapper;
import io.pagestream.worker.output.Stage;
import io.pagestream.worker.output.UnaskedQuestion;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and preprocesses polled pages on a few threads, so that the next batch is ready while the engine runs the
 * current one. Prepared pages go to the micro-batcher (blocking while it is full); pages that cannot be processed,
 * and pages with nothing to infer, go straight to the poll loop as outcomes.
 */
public final class DecodeStage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DecodeStage.class.getName());

    private final ThreadPoolExecutor pool;
    private final PageDecoder decoder;
    private final RetryPolicy policy;
    private final ResultMapper results;
    private final FailureMapper failures;
    private final MicroBatcher<PreparedPage> batcher;
    private final OutcomeSink sink;
    private final PageTracing tracing;

    /**
     * @param capacity    most pages waiting to be decoded; the poll loop's in-flight bound keeps it from filling
     * @param maxAttempts deaths of worker processes after which a page is given up, before any image work
     */
    public DecodeStage(
            int threads,
            int capacity,
            PageDecoder decoder,
            int maxAttempts,
            ResultMapper results,
            FailureMapper failures,
            MicroBatcher<PreparedPage> batcher,
            OutcomeSink sink,
            PageTracing tracing) {
        this.tracing = tracing;
        this.decoder = decoder;
        this.policy = new RetryPolicy(maxAttempts);
        this.results = results;
        this.failures = failures;
        this.batcher = batcher;
        this.sink = sink;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
                    Thread thread = new Thread(r, "pagestream-decode-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public void submit(PageTask task) {
        pool.execute(() -> process(task));
    }

    /** Pages waiting for a decoding thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    private void process(PageTask task) {
        if (task.abandoned()) {
            return;
        }
        Span span = tracing.decode(task);
        Context trace = Context.root().with(span);
        PageImage page = null;
        try {
            page = decoder.read(task);
            Optional<Failure> dead = policy.afterDeaths(task.deaths());
            if (dead.isPresent()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "page " + task.key() + " given up: " + dead.get().message());
                fail(task, page, dead.get(), span, task.deaths());
                return;
            }
            List<PromptSpec> prompts = decoder.prompts(page);
            if (prompts.isEmpty()) {
                sink.accept(new PageOutcome(task, results.map(page, 0, 0, List.of(), List.of()), null, trace));
                return;
            }
            PreparedPage prepared = decoder.prepare(task, page, prompts);
            for (UnaskedQuestion q : prepared.unasked()) {
                LOG.log(
                        System.Logger.Level.INFO,
                        () -> "page " + task.key() + ": question " + q.questionIndex() + " not asked, "
                                + q.failure().reasonCode() + ": " + q.failure().message());
            }
            if (prepared.prompts().isEmpty()) {
                sink.accept(new PageOutcome(
                        task,
                        results.map(page, prepared.tiles().tileCount(), 0, List.of(), prepared.unasked()),
                        null,
                        trace));
                return;
            }
            if (!batcher.put(prepared)) {
                LOG.log(System.Logger.Level.DEBUG, "batcher closed; page {0} dropped", task.key());
            }
        } catch (PageFailedException e) {
            fail(task, page, e.failure(), span, 1);
        } catch (RuntimeException e) {
            // A bug, not a bad page; still the page must end somewhere, or its partition's commits stall behind it.
            LOG.log(System.Logger.Level.ERROR, "decoding page " + task.key() + " failed unexpectedly", e);
            fail(task, page, Failure.of(Failure.INTERNAL_ERROR, Stage.PREPROCESS, "unexpected error", e), span, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            span.end();
        }
    }

    private void fail(PageTask task, PageImage page, Failure failure, Span span, int attempts) {
        PageTracing.failed(span, failure.reasonCode());
        PageRef ref = page == null ? PageRef.ofKey(task.key()) : PageRef.of(page);
        sink.accept(new PageOutcome(
                task,
                failures.map(
                        ref, task.partition().topic(), task.partition().partition(), task.offset(), failure, attempts),
                failure.reasonCode(),
                Context.root().with(span)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
