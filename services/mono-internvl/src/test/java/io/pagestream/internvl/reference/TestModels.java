package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.LlmConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Small hand-built configs and random weights for unit tests below the level of a whole checkpoint. */
final class TestModels {
    private TestModels() {}

    /** 4 query heads of dimension 2 sharing 2 KV heads, no rope scaling. */
    static LlmConfig llm(int hidden, int intermediate) {
        return new LlmConfig(
                List.of(LlmConfig.ARCHITECTURE),
                hidden,
                1,
                4,
                2,
                intermediate,
                16,
                1e-5,
                10000,
                null,
                512,
                "silu",
                false,
                false);
    }

    static float[] random(SplittableRandom random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (scale * (2 * random.nextDouble() - 1));
        }
        return values;
    }

    static Linear linear(SplittableRandom random, int out, int in) {
        return new Linear(random(random, out * in, 1 / Math.sqrt(in)), null, out, in);
    }

    static FeedForward feedForward(SplittableRandom random, int hidden, int intermediate) {
        return new FeedForward(
                linear(random, intermediate, hidden),
                linear(random, hidden, intermediate),
                linear(random, intermediate, hidden));
    }

    static float[] ones(int count) {
        float[] values = new float[count];
        Arrays.fill(values, 1);
        return values;
    }
}
