package io.pagestream.worker.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;

/** Finished pages on their way from the stages to the poll loop, which alone takes them. */
public final class Outcomes implements OutcomeSink {
    private final ConcurrentLinkedQueue<PageOutcome> queue = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(PageOutcome outcome) {
        queue.add(outcome);
    }

    PageOutcome poll() {
        return queue.poll();
    }

    public int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
    }
}
