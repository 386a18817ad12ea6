package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.internvl.checkpoint.LlmConfig;
import org.junit.jupiter.api.Test;

class AttentionTest {
    private static final LlmConfig LLM = TestModels.llm(8, 4);

    /**
     * Zero query and key weights make every score 0 (uniform attention); value head h, dimension d reads input 0
     * times 10(h+1) + d; {@code wo} is the identity. So head j outputs exactly what its KV head holds.
     */
    private static Attention attention() {
        QkvLayout layout = QkvLayout.of(LLM);
        float[] wqkv = new float[LLM.qkvRows() * 8];
        for (int h = 0; h < 2; h++) {
            for (int d = 0; d < 2; d++) {
                wqkv[layout.valueRow(h, d) * 8] = 10 * (h + 1) + d;
            }
        }
        float[] identity = new float[64];
        for (int i = 0; i < 8; i++) {
            identity[i * 8 + i] = 1;
        }
        return new Attention(LLM, new Linear(wqkv, null, LLM.qkvRows(), 8), new Linear(identity, null, 8, 8));
    }

    private static float[] input(float first) {
        return new float[] {first, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void queryHeadsReadTheirKvHeadInPairs() {
        float[][] out = attention().forward(new float[][] {input(1)}, new KvCache(), 10000);
        assertArrayEquals(new float[] {10, 11, 10, 11, 20, 21, 20, 21}, out[0]);
    }

    /** With uniform weights the second token averages the values of both, the first sees only its own. */
    @Test
    void causalMaskHidesLaterTokens() {
        KvCache cache = new KvCache();
        float[][] out = attention().forward(new float[][] {input(1), input(2)}, cache, 10000);
        assertArrayEquals(new float[] {10, 11, 10, 11, 20, 21, 20, 21}, out[0]);
        assertArrayEquals(new float[] {15, 16.5f, 15, 16.5f, 30, 31.5f, 30, 31.5f}, out[1]);
        assertEquals(2, cache.length());
    }

    @Test
    void cachedTokensAreAttendedLikeTokensOfTheSameCall() {
        KvCache cache = new KvCache();
        Attention attention = attention();
        attention.forward(new float[][] {input(1)}, cache, 10000);
        float[][] out = attention.forward(new float[][] {input(2)}, cache, 10000);
        assertArrayEquals(new float[] {15, 16.5f, 15, 16.5f, 30, 31.5f, 30, 31.5f}, out[0]);
    }
}
