package io.pagestream.worker.pipeline;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.worker.model.PageEngine.PromptRun;
import io.pagestream.worker.output.PromptResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One page at the engine: its prompt runs, the chunk each belongs to, its timeout and its span's context. */
final class PageRun {
    final PreparedPage page;
    final BatchRun batch;
    final Context trace;
    private final List<PromptRun> runs;
    private final List<Integer> chunkOf;
    private volatile ScheduledFuture<?> timeout;
    private volatile boolean expired;

    PageRun(PreparedPage page, BatchRun batch, List<PromptRun> runs, List<Integer> chunkOf, Context trace) {
        this.page = page;
        this.batch = batch;
        this.runs = List.copyOf(runs);
        this.chunkOf = List.copyOf(chunkOf);
        this.trace = trace;
    }

    Span span() {
        return Span.fromContext(trace);
    }

    void timeoutAt(ScheduledFuture<?> scheduled) {
        timeout = scheduled;
    }

    /** Ran past its limit: its prompts are cancelled and it fails with TIMEOUT. */
    void expire() {
        expired = true;
        cancel();
    }

    boolean expired() {
        return expired;
    }

    void cancel() {
        runs.forEach(r -> r.cancel().run());
    }

    /** Its prompts all ended: the timeout no longer applies. */
    void ended() {
        timeout.cancel(false);
    }

    /** The first prompt's error, or null when every prompt completed normally. */
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

    /** Each prompt's result, in the page's prompt order, with the chunk it ran in. */
    List<PromptResult> results() {
        List<PromptResult> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            GenerationResult result = runs.get(i).result().join();
            out.add(new PromptResult(page.prompts().get(i), result, chunkOf.get(i)));
        }
        return out;
    }
}
