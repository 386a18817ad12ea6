package io.pagestream.internvl.bench;

import java.util.List;

/**
 * One model's benchmark figures, each next to the bound it is compared with.
 *
 * @param label             the model's name (its directory)
 * @param decodeWeightBytes weight bytes a decode step reads
 * @param peakRssBytes      peak resident set while this model ran (weights mapped and touched included); −1 if
 *                          unknown
 * @param peakRssIsolated   false when the peak could not be reset and covers earlier models too
 */
public record BenchResult(
        String label,
        String dtype,
        String provider,
        int threads,
        long decodeWeightBytes,
        Prefill prefill,
        List<Decode> decode,
        List<Residence> residence,
        List<Capacity> capacity,
        Comparison prefixReuse,
        Comparison continuousBatching,
        long peakRssBytes,
        boolean peakRssIsolated) {

    /**
     * The page prefill: vision plus one prompt's full decoder prefill (the fastest of the page's prompts, without
     * prefix reuse), per tile.
     *
     * @param usefulGflops FLOPs the math needs (one FFN expert per token) over the prompt's decoder prefill time
     * @param matmulRatio  usefulGflops over the machine's ORT MatMul GFLOP/s
     */
    public record Prefill(
            int tiles,
            int promptTokens,
            double visionMs,
            double prefillMs,
            double msPerTile,
            double usefulGflops,
            double matmulRatio) {}

    /**
     * @param context  mean positions cached per row during the measured steps
     * @param boundMs  the step's minimum bytes (weights once, each row's KV) over the measured read bandwidth
     * @param ratio    boundMs over msPerStep: 1 would be bandwidth-bound
     */
    public record Decode(
            int batch,
            int context,
            int steps,
            double msPerStep,
            double tokensPerSecond,
            double boundMs,
            double ratio) {}

    /**
     * One decode batch on each KV path, measured side by side on the same prompts.
     *
     * @param deviceStagedBytes  bytes a step moves between Java host memory and session memory, device-resident path
     * @param hostStagedBytes    the same for the host path, which hands ORT the whole KV view every step
     * @param deviceAllocatedPerStep Java heap bytes the engine thread allocates per step on the device path
     * @param hostAllocatedPerStep   the same on the host path
     */
    public record Residence(
            int batch,
            int context,
            double deviceMsPerStep,
            double hostMsPerStep,
            long deviceStagedBytes,
            long hostStagedBytes,
            double deviceAllocatedPerStep,
            double hostAllocatedPerStep) {}

    /**
     * Decode ms/step on the device path at fixed positions and batch, as the KV slots grow: flat when nothing scales
     * with capacity.
     */
    public record Capacity(int batch, int context, int slotCapacity, long kvBytes, double msPerStep) {}

    /**
     * The same work with a feature on and off.
     *
     * @param speedup offMs / onMs
     */
    public record Comparison(double onMs, double offMs, double speedup, String detail) {}
}
