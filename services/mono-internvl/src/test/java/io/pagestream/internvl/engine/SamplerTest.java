package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int VOCAB = 1000;

    @Test
    void greedyTakesTheFirstMaximumAndItsLogSoftmax() {
        float[] logits = logits(7);
        logits[123] = 9;
        logits[456] = 9;
        FloatBuffer row = FloatBuffer.wrap(pad(logits));
        Sampler sampler = new Sampler(VOCAB);
        assertEquals(123, sampler.next(row, VOCAB, SamplingOptions.GREEDY, new SplittableRandom(0)));
        double sum = 0;
        for (float value : logits) {
            sum += Math.exp(value - 9);
        }
        assertEquals(-Math.log(sum), sampler.logprob(), 1e-6);
    }

    @Test
    void samplingIsSeededAndTopPKeepsOnlyTheNucleus() {
        float[] logits = logits(3);
        logits[10] = 12;
        logits[20] = 11.5f;
        FloatBuffer row = FloatBuffer.wrap(logits);
        Sampler sampler = new Sampler(VOCAB);
        SamplingOptions nucleus = SamplingOptions.of(1, 0.9, 5);
        int[] counts = new int[VOCAB];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            counts[sampler.next(row, 0, nucleus, random)]++;
        }
        assertEquals(2000, counts[10] + counts[20], "only the two tokens making up 90% are drawn");
        assertTrue(
                counts[10] > counts[20] && counts[20] > 500,
                "drawn by their weights: " + counts[10] + "/" + counts[20]);

        SamplingOptions wide = SamplingOptions.of(5, 1, 9);
        int[] first = draws(sampler, row, wide, 50);
        int[] second = draws(sampler, row, wide, 50);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
        assertTrue(java.util.Arrays.stream(first).distinct().count() > 10, "a hot temperature spreads the draws");
    }

    private static int[] draws(Sampler sampler, FloatBuffer row, SamplingOptions options, int n) {
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sampler.next(row, 0, options, random);
        }
        return out;
    }

    private static float[] logits(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            logits[i] = (float) random.nextDouble(-1, 1);
        }
        return logits;
    }

    /** The row placed second in a buffer of two rows, to exercise the offset. */
    private static float[] pad(float[] row) {
        float[] two = new float[2 * VOCAB];
        System.arraycopy(row, 0, two, VOCAB, VOCAB);
        return two;
    }
}
