package io.pagestream.worker.pipeline;

/** Where the stages hand finished pages to the poll loop. Thread-safe, never blocks. */
@FunctionalInterface
public interface OutcomeSink {
    void accept(PageOutcome outcome);
}
