package io.pagestream.worker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdaptiveLimitsTest {

    @Test
    void outOfMemoryHalvesThePageLimitAndCleanBatchesGrowItBackOneByOne() {
        AdaptiveLimits limits = new AdaptiveLimits(new BatchLimits(8, 24, 10_000));
        assertEquals(4, limits.shrink());
        assertEquals(2, limits.shrink());
        assertEquals(1, limits.shrink());
        assertEquals(1, limits.shrink());
        for (int i = 0; i < AdaptiveLimits.GROW_AFTER - 1; i++) {
            limits.succeeded();
        }
        assertEquals(1, limits.current().pages());
        limits.succeeded();
        assertEquals(2, limits.current().pages());
        for (int i = 0; i < 100; i++) {
            limits.succeeded();
        }
        assertEquals(8, limits.current().pages());
        assertEquals(24, limits.current().prompts());
        assertEquals(10_000, limits.current().tokenBudget());
    }
}
