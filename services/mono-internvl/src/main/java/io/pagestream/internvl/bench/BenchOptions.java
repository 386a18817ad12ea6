package io.pagestream.internvl.bench;

import io.pagestream.internvl.engine.RuntimeOptions;
import java.util.List;

/**
 * What {@link EngineBench} runs; the counts are small by default so that a 2B model on a laptop CPU takes minutes.
 *
 * @param decodeSteps  decode steps measured at each batch size
 * @param batches      batch sizes of the decode sweep
 * @param imageTiles   tiles of the benchmark page image (1, or n ≥ 3: n − 1 tiles side by side plus the thumbnail)
 * @param questions    questions asked about the page besides its OCR prompt (prefix reuse on/off)
 * @param answerTokens tokens generated per prompt of that page
 * @param cbSlots      slots of the continuous batching comparison
 * @param cbRequests   requests of mixed lengths in that comparison
 * @param threads      ORT intra-op threads; 0 for one per available processor
 * @param repeats      runs of each on/off comparison, the fastest kept (1 for large models, whose runs are long
 *                     enough not to need it)
 * @param prepack      weight pre-packing of the sessions
 */
public record BenchOptions(
        int decodeSteps,
        List<Integer> batches,
        int imageTiles,
        int questions,
        int answerTokens,
        int cbSlots,
        int cbRequests,
        int threads,
        int repeats,
        RuntimeOptions.Prepack prepack) {

    public static final BenchOptions DEFAULT =
            new BenchOptions(16, List.of(1, 4, 8, 16), 1, 3, 8, 4, 12, 0, 3, RuntimeOptions.Prepack.AUTO);

    public BenchOptions {
        batches = List.copyOf(batches);
        if (decodeSteps < 2
                || batches.isEmpty()
                || batches.stream().anyMatch(b -> b < 1)
                || imageTiles < 1
                || imageTiles == 2
                || questions < 1
                || answerTokens < 1
                || cbSlots < 1
                || cbRequests < 1
                || threads < 0
                || repeats < 1
                || prepack == null) {
            throw new IllegalArgumentException("invalid benchmark options " + this
                    + " (image tiles: 1 or at least 3; at least one question; at least 2 decode steps)");
        }
    }

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    int maxBatch() {
        return batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
