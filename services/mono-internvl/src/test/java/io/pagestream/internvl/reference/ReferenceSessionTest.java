package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.random.RandomCheckpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session-level behaviour on the tiny random model: cache correctness, image merging, batching, limits. */
class ReferenceSessionTest {
    private static final int[] TEXT = {1, 92543, 1008, 495, 13, 60007, 2222, 92000, 17, 4, 92542, 92543};

    @TempDir
    static Path dir;

    private static ModelCheckpoint checkpoint;
    private static ReferenceModel model;
    private static float[][] imageRows;

    @BeforeAll
    static void writeModel() {
        RandomCheckpoint.write(ConfigJson.load(FixtureCheckpoint.resource("model-configs/tiny")), 11, DType.BF16, dir);
        checkpoint = ModelCheckpoint.open(dir);
        model = ReferenceModel.load(checkpoint);
        imageRows = model.encodeImage(ReferenceVsPytorchTest.pixels(1, 448), 1, 448);
    }

    /** {@code <img>}, one tile of {@code <IMG_CONTEXT>}, {@code </img>}, then a few text tokens. */
    private static int[] imagePrompt() {
        int[] ids = new int[3 + 256 + 4];
        ids[0] = 1;
        ids[1] = 92544;
        Arrays.fill(ids, 2, 258, InputEmbedder.IMG_CONTEXT);
        ids[258] = 92545;
        System.arraycopy(new int[] {13, 777, 92542, 92543}, 0, ids, 259, 4);
        return ids;
    }

    private static float[] lastLogits(int[] ids, float[][] rows) {
        return model.newSession().prefill(ids, rows, new int[] {ids.length - 1})[0];
    }

    @Test
    void decodeStepEqualsPrefillOfTheLongerTextSequence() {
        ReferenceSession session = model.newSession();
        session.prefill(Arrays.copyOf(TEXT, 9), null, new int[] {8});
        session.decode(TEXT[9]);
        session.decode(TEXT[10]);
        float[] decoded = session.decode(TEXT[11]);
        assertEquals(TEXT.length, session.length());
        assertArrayEquals(lastLogits(TEXT, null), decoded);
    }

    /** The image rows stay routed to the visual FFN in both; the decoded text tokens take the text FFN in both. */
    @Test
    void decodeStepEqualsPrefillOfTheLongerImageSequence() {
        int[] ids = imagePrompt();
        ReferenceSession session = model.newSession();
        session.prefill(Arrays.copyOf(ids, ids.length - 2), imageRows, new int[] {0});
        session.decode(ids[ids.length - 2]);
        assertArrayEquals(lastLogits(ids, imageRows), session.decode(ids[ids.length - 1]));
    }

    @Test
    void imageRowsChangeTheOutputOnlyFromTheFirstImagePositionOn() {
        int[] ids = imagePrompt();
        float[][] other = model.encodeImage(ReferenceVsPytorchTest.pixels(2, 448), 2, 448);
        float[][] second = Arrays.copyOfRange(other, 256, 512);
        int[] positions = {1, 2, ids.length - 1};
        float[][] a = model.newSession().prefill(ids, imageRows, positions);
        float[][] b = model.newSession().prefill(ids, second, positions);
        assertArrayEquals(a[0], b[0]);
        assertTrue(maxDifference(a[1], b[1]) > 1e-3);
        assertTrue(maxDifference(a[2], b[2]) > 1e-3);
    }

    @Test
    void fullPrefillReturnsEveryPosition() {
        float[][] all = model.newSession().prefill(Arrays.copyOf(TEXT, 4), null);
        assertEquals(4, all.length);
        assertEquals(checkpoint.config().llm().vocabSize(), all[3].length);
        assertArrayEquals(lastLogits(Arrays.copyOf(TEXT, 4), null), all[3]);
    }

    @Test
    void batchedSequencesAreIndependent() {
        ReferenceBatch.Request text = new ReferenceBatch.Request(TEXT, null, 3);
        ReferenceBatch.Request image = new ReferenceBatch.Request(imagePrompt(), imageRows, 2);
        List<ReferenceBatch.Result> together = model.runBatch(List.of(image, text));
        ReferenceBatch.Result alone = model.runBatch(List.of(text)).getFirst();
        assertArrayEquals(alone.generated(), together.get(1).generated());
        assertArrayEquals(alone.prefillLogits(), together.get(1).prefillLogits());
        assertEquals(4, alone.generated().length);
        ReferenceSession session = model.newSession();
        session.prefill(TEXT, null, new int[0]);
        for (int step = 0; step < 3; step++) {
            assertArrayEquals(session.decode(alone.generated()[step]), alone.stepLogits()[step]);
        }
        assertEquals(
                ReferenceBatch.argmax(lastLogits(imagePrompt(), imageRows)),
                together.get(0).generated()[0]);
    }

    @Test
    void imageRowCountMustMatchThePlaceholders() {
        int[] ids = imagePrompt();
        float[][] tooFew = Arrays.copyOf(imageRows, 255);
        assertThrows(IllegalArgumentException.class, () -> model.newSession().prefill(ids, tooFew, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> model.newSession().prefill(TEXT, imageRows, new int[0]));
    }

    @Test
    void refusesModelsAboveTheParameterLimit() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ReferenceModel.load(checkpoint, 1_000_000));
        assertTrue(e.getMessage().contains("tiny test models only"), e.getMessage());
    }

    private static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
