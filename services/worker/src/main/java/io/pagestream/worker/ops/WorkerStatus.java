package io.pagestream.worker.ops;

import io.pagestream.internvl.engine.EngineStats;

/**
 * What {@code GET /v1/worker} answers.
 *
 * @param batchPageLimit the micro-batch page limit now (it shrinks after an out-of-memory and grows back)
 * @param engine         the engine's cumulative counters, null before the model is loaded
 */
public record WorkerStatus(
        String instanceId,
        String state,
        String modelId,
        String modelVersion,
        String device,
        int engineSlots,
        int slotTokens,
        long kvCacheBytes,
        int batchPageLimit,
        int maxBatchPages,
        int assignedPartitions,
        int inFlightPages,
        int pagesAtEngine,
        boolean consumerPaused,
        EngineStats engine) {}
