package io.pagestream.internvl.engine;

/**
 * Cumulative counters of an engine since it opened, for benchmarks and metrics.
 *
 * @param pages              pages admitted
 * @param prompts            prompts admitted
 * @param visionTiles        image tiles encoded
 * @param visionNanos        time in the vision graph
 * @param prefillTokens      prompt tokens run through the decoder (a shared prefix counted once)
 * @param prefillNanos       time in prefill chunks, shared prefixes included
 * @param reusedPrefixTokens prompt tokens whose KV cache was copied from a page's shared prefix instead of computed
 * @param decodeSteps        batched decode steps
 * @param decodeTokens       tokens those steps produced (active rows only)
 * @param decodeRows         rows those steps ran, idle rows included
 * @param decodeNanos        time in decode steps, sampling included
 * @param generatedTokens    all generated tokens, the first of each prompt (from its prefill) included
 */
public record EngineStats(
        long pages,
        long prompts,
        long visionTiles,
        long visionNanos,
        long prefillTokens,
        long prefillNanos,
        long reusedPrefixTokens,
        long decodeSteps,
        long decodeTokens,
        long decodeRows,
        long decodeNanos,
        long generatedTokens) {

    /** Counters accumulated by the engine thread and read from others. */
    static final class Counter {
        private long pages;
        private long prompts;
        private long visionTiles;
        private long visionNanos;
        private long prefillTokens;
        private long prefillNanos;
        private long reusedPrefixTokens;
        private long decodeSteps;
        private long decodeTokens;
        private long decodeRows;
        private long decodeNanos;
        private long generatedTokens;

        synchronized void page(int promptCount, int tiles, long vision) {
            pages++;
            prompts += promptCount;
            visionTiles += tiles;
            visionNanos += vision;
        }

        synchronized void prefill(int tokens, long nanos, int reused) {
            prefillTokens += tokens;
            prefillNanos += nanos;
            reusedPrefixTokens += reused;
        }

        synchronized void decode(int tokens, int rows, long nanos) {
            decodeSteps++;
            decodeTokens += tokens;
            decodeRows += rows;
            decodeNanos += nanos;
        }

        synchronized void generated() {
            generatedTokens++;
        }

        synchronized EngineStats snapshot() {
            return new EngineStats(
                    pages,
                    prompts,
                    visionTiles,
                    visionNanos,
                    prefillTokens,
                    prefillNanos,
                    reusedPrefixTokens,
                    decodeSteps,
                    decodeTokens,
                    decodeRows,
                    decodeNanos,
                    generatedTokens);
        }
    }
}
