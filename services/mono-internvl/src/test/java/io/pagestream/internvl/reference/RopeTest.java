package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.RopeScaling;
import java.util.List;
import org.junit.jupiter.api.Test;

class RopeTest {
    private static final LlmConfig REAL = ConfigJson.read(
                    FixtureCheckpoint.resource("model-configs/mono-internvl-2b/config.json"))
            .llm();

    /** Head dimension 4, base 100: pair (0, 2) turns at 1 rad per position, pair (1, 3) at 0.1 rad. */
    @Test
    void rotatesFirstAndSecondHalfAsPairs() {
        float[] v = {1, 0, 0, 0};
        Rope.rotate(v, 0, 4, 1, 100);
        assertArrayEquals(new float[] {0.5403023f, 0, 0.84147098f, 0}, v, 1e-7f);
        float[] w = {9, 0, 0, 1, 0, 0};
        Rope.rotate(w, 2, 4, 3, 100);
        assertArrayEquals(new float[] {9, 0, 0, 0.95533649f, 0, 0.29552021f}, w, 1e-7f);
        float[] u = {0, 0, 1, 0};
        Rope.rotate(u, 0, 4, 1, 100);
        assertArrayEquals(new float[] {-0.84147098f, 0, 0.5403023f, 0}, u, 1e-7f);
    }

    @Test
    void positionZeroIsTheIdentity() {
        float[] v = {0.3f, -1.5f, 2, 7};
        Rope.rotate(v, 0, 4, 0, 1e6);
        assertArrayEquals(new float[] {0.3f, -1.5f, 2, 7}, v);
    }

    @Test
    void baseIsThetaUpToTheLimitThenGrowsWithTheLength() {
        assertEquals(1e6, Rope.base(REAL, 1));
        assertEquals(1e6, Rope.base(REAL, 32768));
        // 2 · 65536 / 32768 − 1 = 3, raised to 128/126: 1e6 · 3^(64/63)
        assertEquals(3_052_773.67488, Rope.base(REAL, 65536), 1e-3);
        // factor 2, limit 512, length 600, head dimension 16: 10000 · (1200/512 − 1)^(16/14)
        LlmConfig small = new LlmConfig(
                List.of(LlmConfig.ARCHITECTURE),
                64,
                1,
                4,
                2,
                128,
                16,
                1e-5,
                10000,
                new RopeScaling(RopeScaling.DYNAMIC, 2),
                512,
                "silu",
                false,
                false);
        assertEquals(14016.8262, Rope.base(small, 600), 1e-4);
        assertEquals(10000, Rope.base(small, 512));
    }

    @Test
    void withoutScalingTheBaseNeverChanges() {
        assertEquals(10000, Rope.base(TestModels.llm(8, 4), 1_000_000));
    }
}
