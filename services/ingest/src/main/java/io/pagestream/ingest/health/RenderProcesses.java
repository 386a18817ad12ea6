package io.pagestream.ingest.health;

import io.pagestream.ingest.render.isolated.RenderPool;

/**
 * The render processes: DOWN while they cannot be started (the last {@value #FAILED_STARTS} starts in a row failed: a
 * broken class path, no memory or processes left on the machine), so the instance leaves rotation instead of refusing
 * every document. The pool retries with each document and each replacement; one start that succeeds brings it back.
 */
public final class RenderProcesses implements Part {
    static final int FAILED_STARTS = 2;

    private final RenderPool pool;

    public RenderProcesses(RenderPool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "render-processes";
    }

    @Override
    public PartHealth health() {
        int failed = pool.failedStarts();
        return failed >= FAILED_STARTS
                ? PartHealth.down(name(), failed + " starts failed in a row: " + pool.lastStartFailure(), 0)
                : PartHealth.up(name(), pool.slots() + " slots, " + pool.busy() + " in use", 0);
    }

    @Override
    public void supervise() {}
}
