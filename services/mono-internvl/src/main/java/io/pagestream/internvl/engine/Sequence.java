package io.pagestream.internvl.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

/** One prompt being generated in a KV slot. Touched only by the engine thread. */
final class Sequence {
    final PendingPage.Prompt prompt;
    final int slot;
    final SplittableRandom random;
    final long submittedNanos;
    final long admittedNanos;
    final long visionNanos;
    final long prefixNanos;
    final int reusedPrefixTokens;
    private final int[] tokens;
    private final float[] logprobs;
    private final RepetitionTracker repetition;
    private int count;
    private int cached;
    private long prefillNanos;
    private long firstTokenNanos;

    Sequence(
            PendingPage.Prompt prompt,
            int slot,
            long submittedNanos,
            long admittedNanos,
            long visionNanos,
            long prefixNanos,
            int reusedPrefixTokens) {
        this.prompt = prompt;
        this.slot = slot;
        this.random = new SplittableRandom(prompt.request().sampling().seed());
        this.submittedNanos = submittedNanos;
        this.admittedNanos = admittedNanos;
        this.visionNanos = visionNanos;
        this.prefixNanos = prefixNanos;
        this.reusedPrefixTokens = reusedPrefixTokens;
        int max = prompt.request().maxNewTokens();
        this.tokens = new int[max];
        this.logprobs = new float[max];
        this.repetition = prompt.guard().enabled() ? new RepetitionTracker(prompt.guard()) : null;
    }

    /** The prompt is in the cache. */
    void prefilled(long nanos) {
        cached = prompt.ids().length;
        prefillNanos = nanos;
    }

    /** Tokens in this slot's cache: the position the next fed token takes. */
    int cached() {
        return cached;
    }

    /** The last generated token, which the next decode step feeds. */
    int lastToken() {
        return tokens[count - 1];
    }

    /** The last token went through a decode step. */
    void stepped() {
        cached++;
    }

    int count() {
        return count;
    }

    /** Records a generated token; returns why the sequence ends with it, or null when it goes on. */
    FinishReason accept(int token, float logprob, long nowNanos) {
        if (count == 0) {
            firstTokenNanos = nowNanos;
        }
        tokens[count] = token;
        logprobs[count] = logprob;
        count++;
        if (prompt.isStop(token)) {
            return FinishReason.STOP;
        }
        if (count == tokens.length) {
            return FinishReason.LENGTH;
        }
        if (repetition != null && repetition.accept(tokens, count)) {
            return FinishReason.REPETITION;
        }
        return null;
    }

    int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    float[] logprobs() {
        return Arrays.copyOf(logprobs, count);
    }

    Timings timings(long nowNanos) {
        long first = count == 0 ? nowNanos : firstTokenNanos;
        return new Timings(
                ms(admittedNanos - submittedNanos),
                ms(visionNanos),
                ms(prefixNanos),
                ms(prefillNanos),
                ms(first - submittedNanos),
                ms(nowNanos - first),
                ms(nowNanos - submittedNanos));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
