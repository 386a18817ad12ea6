package io.pagestream.internvl.engine;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next token from a row of logits and computes its log-probability under the model's distribution.
 * Owned by the engine thread; its scratch arrays are reused, so sampling allocates nothing.
 */
final class Sampler {
    private final int vocab;
    private final float[] weights;
    private final long[] candidates;
    private float logprob;

    Sampler(int vocab) {
        this.vocab = vocab;
        this.weights = new float[vocab];
        this.candidates = new long[vocab];
    }

    /** The log-probability of the token the last {@link #next} call returned. */
    float logprob() {
        return logprob;
    }

    /** The next token of the row starting at {@code offset}; greedy takes the lowest index among equal maxima. */
    int next(FloatBuffer logits, int offset, SamplingOptions options, RandomGenerator random) {
        int best = offset;
        float max = logits.get(offset);
        for (int i = offset + 1; i < offset + vocab; i++) {
            float value = logits.get(i);
            if (value > max) {
                max = value;
                best = i;
            }
        }
        double sum = 0;
        for (int i = offset; i < offset + vocab; i++) {
            sum += Math.exp(logits.get(i) - max);
        }
        double logSum = Math.log(sum);
        int token = options.greedy() ? best - offset : draw(logits, offset, max, options, random);
        logprob = (float) (logits.get(offset + token) - max - logSum);
        return token;
    }

    /**
     * Draws from softmax(logits / T) within the top-p nucleus. Tokens below (1 − p) / (V − 1) of the mass cannot
     * belong to the nucleus (the tokens after them could not make up the remaining 1 − p), so only the rest is
     * sorted, which is usually a handful.
     */
    private int draw(FloatBuffer logits, int offset, float max, SamplingOptions options, RandomGenerator random) {
        double scale = 1 / options.temperature();
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            weights[i] = (float) Math.exp((logits.get(offset + i) - max) * scale);
            total += weights[i];
        }
        if (options.topP() >= 1) {
            double target = random.nextDouble() * total;
            double running = 0;
            for (int i = 0; i < vocab; i++) {
                running += weights[i];
                if (running > target) {
                    return i;
                }
            }
            return vocab - 1;
        }
        double cutoff = (1 - options.topP()) / (vocab - 1) * total;
        int count = 0;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] >= cutoff) {
                // Positive floats order like their bit patterns, so (weight bits, index) sorts by weight.
                candidates[count++] = (long) Float.floatToIntBits(weights[i]) << 32 | i;
            }
        }
        Arrays.sort(candidates, 0, count);
        double nucleus = 0;
        int kept = 0;
        for (int k = count - 1; k >= 0; k--) {
            nucleus += weights[(int) candidates[k]];
            kept++;
            if (nucleus >= options.topP() * total) {
                break;
            }
        }
        double target = random.nextDouble() * nucleus;
        double running = 0;
        for (int k = count - 1; k >= count - kept; k--) {
            int index = (int) candidates[k];
            running += weights[index];
            if (running > target) {
                return index;
            }
        }
        return (int) candidates[count - kept];
    }
}
