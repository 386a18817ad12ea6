package io.pagestream.internvl.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.TestResources;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greedy decoding on a random checkpoint must be decided by the weights, not by rounding. bf16 keeps 8 significant
 * bits, so one rounding of a logit moves it by up to 2⁻⁹ ≈ 0.2 % of its size, and the accumulated error of a bf16
 * forward pass is typically a few times that. A top-1/top-2 gap of 5 % of the top logit, the required median, is
 * therefore over 10 bf16 ulps. Logits must also stay O(1) (fp16 engines overflow at 65504) and the argmax must still
 * vary, or a broken engine could reproduce the "right" tokens by accident.
 */
class LogitMarginTest {
    private static final int PROMPT = 64;

    @Test
    void topTwoLogitsAreFarApartAtMostPositions(@TempDir Path dir) {
        ModelConfig config = ConfigJson.load(TestResources.bundledConfig("tiny"));
        RandomCheckpoint.write(config, 7, DType.BF16, dir);
        ReferenceModel model = ReferenceModel.load(ModelCheckpoint.open(dir));
        SplittableRandom random = new SplittableRandom(3);
        int[] ids = new int[PROMPT];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(3, 92000);
        }
        float[][] logits = model.newSession().prefill(ids, null);
        double[] relativeGaps = new double[PROMPT];
        double largest = 0;
        Set<Integer> winners = new HashSet<>();
        for (int p = 0; p < PROMPT; p++) {
            float[] row = logits[p].clone();
            winners.add(ReferenceBatch.argmax(row));
            Arrays.sort(row);
            float top = row[row.length - 1];
            relativeGaps[p] = (top - row[row.length - 2]) / Math.abs(top);
            largest = Math.max(largest, Math.abs(top));
        }
        Arrays.sort(relativeGaps);
        double median = relativeGaps[PROMPT / 2];
        long close = Arrays.stream(relativeGaps).filter(gap -> gap < 0.01).count();
        String summary = String.format(
                "median gap %.3f of the top logit, %d of %d positions under 1 %%,"
                        + " %d distinct argmax, largest |logit| %.1f",
                median, close, PROMPT, winners.size(), largest);
        System.out.println("LogitMarginTest: " + summary);
        assertTrue(median > 0.05, summary);
        assertTrue(close < PROMPT / 8, summary);
        assertTrue(winners.size() >= 8, summary);
        assertTrue(largest < 1000, summary);
    }
}
