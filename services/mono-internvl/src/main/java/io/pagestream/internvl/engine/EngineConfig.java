package io.pagestream.internvl.engine;

/**
 * How an engine is sized and scheduled.
 *
 * <p>The KV cache is preallocated once: {@code maxBatch} slots of {@code kvTokenBudget / maxBatch} positions each,
 * for every layer's keys and values (see {@link #kvBytesPerToken}). A request needs one slot holding its prompt plus
 * {@code maxNewTokens}; one that cannot fit is refused when submitted.
 *
 * @param maxBatch           sequences decoded together, which is also the number of KV slots; default 8
 * @param kvTokenBudget      KV positions over all slots; default 16384 (2048 per slot: a 6-tile page with a
 *                           512-token answer)
 * @param prefixReuse        prompts of one page share the prefill of their common prefix (system prompt and image);
 *                           default on
 * @param continuousBatching a finished sequence's slot is refilled from the queue at once, instead of when the whole
 *                           batch is done; default on
 * @param repetitionGuard    the guard used when a request names none; default {@link RepetitionGuard#OCR}
 * @param maxImagePixels     images with more pixels are refused before any resize; default 40 M
 * @param runtime            ONNX Runtime settings
 * @param kvResidence        where the KV cache lives: {@link KvResidence#DEVICE} (default), bound on the session's
 *                           device through ORT's IoBinding, or {@link KvResidence#HOST}, the Java API path
 */
public record EngineConfig(
        int maxBatch,
        int kvTokenBudget,
        boolean prefixReuse,
        boolean continuousBatching,
        RepetitionGuard repetitionGuard,
        long maxImagePixels,
        RuntimeOptions runtime,
        KvResidence kvResidence) {

    public static final EngineConfig DEFAULT = new EngineConfig(
            8, 16_384, true, true, RepetitionGuard.OCR, 40_000_000L, RuntimeOptions.DEFAULT, KvResidence.DEVICE);

    public EngineConfig {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (kvTokenBudget < maxBatch) {
            throw new IllegalArgumentException(
                    "kvTokenBudget " + kvTokenBudget + " leaves no position per slot for " + maxBatch + " slots");
        }
        if (repetitionGuard == null || runtime == null || kvResidence == null) {
            throw new IllegalArgumentException("repetitionGuard, runtime and kvResidence are required");
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be positive, got " + maxImagePixels);
        }
    }

    /** Positions each slot holds: the longest prompt plus answer one request may have. */
    public int slotCapacity() {
        return kvTokenBudget / maxBatch;
    }

    /** Bytes of KV cache one token costs: keys and values of every layer. */
    public static long kvBytesPerToken(int layers, int kvHeads, int headDim, int elementBytes) {
        return 2L * layers * kvHeads * headDim * elementBytes;
    }

    /** {@code maxBatch} slots of {@code capacity} positions each. */
    public EngineConfig withSlots(int slots, int capacity) {
        return new EngineConfig(
                slots,
                Math.multiplyExact(slots, capacity),
                prefixReuse,
                continuousBatching,
                repetitionGuard,
                maxImagePixels,
                runtime,
                kvResidence);
    }

    public EngineConfig withPrefixReuse(boolean reuse) {
        return new EngineConfig(
                maxBatch,
                kvTokenBudget,
                reuse,
                continuousBatching,
                repetitionGuard,
                maxImagePixels,
                runtime,
                kvResidence);
    }

    public EngineConfig withContinuousBatching(boolean continuous) {
        return new EngineConfig(
                maxBatch,
                kvTokenBudget,
                prefixReuse,
                continuous,
                repetitionGuard,
                maxImagePixels,
                runtime,
                kvResidence);
    }

    public EngineConfig withRepetitionGuard(RepetitionGuard guard) {
        return new EngineConfig(
                maxBatch, kvTokenBudget, prefixReuse, continuousBatching, guard, maxImagePixels, runtime, kvResidence);
    }

    public EngineConfig withRuntime(RuntimeOptions options) {
        return new EngineConfig(
                maxBatch,
                kvTokenBudget,
                prefixReuse,
                continuousBatching,
                repetitionGuard,
                maxImagePixels,
                options,
                kvResidence);
    }

    public EngineConfig withKvResidence(KvResidence residence) {
        return new EngineConfig(
                maxBatch,
                kvTokenBudget,
                prefixReuse,
                continuousBatching,
                repetitionGuard,
                maxImagePixels,
                runtime,
                residence);
    }
}
