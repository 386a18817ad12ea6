package io.pagestream.worker.batch;

/**
 * Bounds of one micro-batch.
 *
 * @param pages       most pages
 * @param prompts     most prompts: the engine's slots, so a batch never waits inside the engine for itself
 * @param tokenBudget most prefill tokens
 */
public record BatchLimits(int pages, int prompts, long tokenBudget) {
    public BatchLimits {
        if (pages < 1 || prompts < 1 || tokenBudget < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + pages + " pages, " + prompts
                    + " prompts, " + tokenBudget + " tokens");
        }
    }

    public BatchLimits withPages(int limit) {
        return new BatchLimits(limit, prompts, tokenBudget);
    }
}
