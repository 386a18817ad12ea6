package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pagestream.internvl.checkpoint.LlmConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecoderLayerTest {
    private static final LlmConfig LLM = TestModels.llm(8, 16);
    private static final boolean[] VISUAL = {false, true, false};

    private static LayerWeights weights(long textSeed, long visualSeed) {
        SplittableRandom random = new SplittableRandom(1);
        return new LayerWeights(
                TestModels.ones(8),
                TestModels.linear(random, LLM.qkvRows(), 8),
                TestModels.linear(random, 8, 8),
                TestModels.ones(8),
                TestModels.feedForward(new SplittableRandom(textSeed), 8, 16),
                TestModels.feedForward(new SplittableRandom(visualSeed), 8, 16));
    }

    private static float[][] run(LayerWeights weights) {
        SplittableRandom random = new SplittableRandom(2);
        float[][] x = {TestModels.random(random, 8, 1), TestModels.random(random, 8, 1), TestModels.random(random, 8, 1)
        };
        return new DecoderLayer(LLM, weights).forward(x, VISUAL, new KvCache(), 10000);
    }

    @Test
    void visualExpertChangesOnlyTheVisualToken() {
        float[][] before = run(weights(3, 4));
        float[][] after = run(weights(3, 5));
        assertArrayEquals(before[0], after[0]);
        assertFalse(Arrays.equals(before[1], after[1]));
        assertArrayEquals(before[2], after[2]);
    }

    @Test
    void textExpertChangesOnlyTheTextTokens() {
        float[][] before = run(weights(3, 4));
        float[][] after = run(weights(6, 4));
        assertFalse(Arrays.equals(before[0], after[0]));
        assertArrayEquals(before[1], after[1]);
        assertFalse(Arrays.equals(before[2], after[2]));
    }
}
