package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fp32 ONNX conversion (all-position logits) against the plain-Java reference on a tiny random checkpoint:
 * vision rows, a two-tile image prefill, decode steps on the KV cache, and a right-padded batch of two.
 * Measured differences are printed so that they can be reported.
 */
class OnnxVsReferenceTest {
    static final double TOLERANCE = 1e-3;

    @TempDir
    static Path dir;

    static ReferenceModel reference;
    static OnnxPipeline onnx;
    static LlmConfig llm;
    static int vocab;

    @BeforeAll
    static void convert() throws Exception {
        Path model = dir.resolve("checkpoint");
        TinyModels.write(model, 42);
        reference = ReferenceModel.load(ModelCheckpoint.open(model));
        ConversionResult result = Converter.convert(
                model, dir.resolve("onnx"), new DecoderOptions(TargetDtype.FP32, Int4Options.DEFAULT, true));
        llm = reference.config().llm();
        vocab = llm.vocabSize();
        onnx = new OnnxPipeline(
                result.outDir(), llm.numHiddenLayers(), llm.numKeyValueHeads(), llm.headDim(), llm.hiddenSize());
    }

    @AfterAll
    static void close() throws Exception {
        onnx.close();
    }

    static float[] pixels(int tiles, long seed) {
        Random random = new Random(seed);
        float[] values = new float[tiles * 3 * TinyModels.TILE * TinyModels.TILE];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return values;
    }

    /** {@code <s>}, some text, {@code <img>}, the image's context tokens, {@code </img>}, more text. */
    static int[] imagePrompt(int imageTokens) {
        int[] head = {1, 92543, 1008, 364, 92544};
        int[] tail = {92545, 364, 5401, 1780, 92542, 92543, 525};
        int[] ids = new int[head.length + imageTokens + tail.length];
        System.arraycopy(head, 0, ids, 0, head.length);
        Arrays.fill(ids, head.length, head.length + imageTokens, TinyModels.IMG_CONTEXT);
        System.arraycopy(tail, 0, ids, head.length + imageTokens, tail.length);
        return ids;
    }

    static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[i].length, rows[i].length);
        }
        return flat;
    }

    static float[][] unflatten(float[] flat, int width) {
        float[][] rows = new float[flat.length / width][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    static long[] longs(int[] ids, int padTo) {
        long[] out = new long[padTo];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /** Largest |expected − actual| over rows, where {@code actual} row r starts at {@code offset + r · vocab}. */
    static double diff(float[][] expected, float[] actual, int offset) {
        return diff(expected, actual, offset, vocab);
    }

    static double diff(float[][] expected, float[] actual, int offset, int vocab) {
        double max = 0;
        for (int r = 0; r < expected.length; r++) {
            max = Math.max(
                    max,
                    OrtRunner.maxAbsDiff(
                            expected[r], Arrays.copyOfRange(actual, offset + r * vocab, offset + (r + 1) * vocab)));
        }
        return max;
    }

    static void report(String what, double diff) {
        System.out.printf("[onnx-vs-reference] %s: max abs diff %.3e%n", what, diff);
        assertTrue(diff < TOLERANCE, what + ": max abs diff " + diff);
    }

    @Test
    void visionRowsMatch() throws Exception {
        float[] pixels = pixels(2, 1);
        float[] rows = onnx.vision(pixels, 2, TinyModels.TILE);
        float[] expected = flatten(reference.encodeImage(pixels, 2, TinyModels.TILE));
        report("vision rows, 2 tiles", OrtRunner.maxAbsDiff(expected, rows));
    }

    /** A tile size other than the trained one: the position embedding is resampled bicubically at conversion. */
    @ParameterizedTest
    @ValueSource(ints = {112, 336})
    void visionRowsMatchAtOtherTileSizes(int tile) throws Exception {
        Path out = dir.resolve("vision-" + tile);
        Files.createDirectories(out);
        try (WeightFile weights = new WeightFile(out.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create("vision", weights);
            VisionGraph.build(g, Checkpoint.open(dir.resolve("checkpoint")), reference.config(), Precision.FP32, tile);
            g.save(out.resolve("model.onnx"));
        }
        Random random = new Random(tile);
        float[] pixels = new float[3 * tile * tile];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (random.nextDouble() * 4 - 2);
        }
        try (OrtRunner vision = new OrtRunner(out.resolve("model.onnx"))) {
            float[] rows = vision.run(Map.of(VisionGraph.PIXEL_VALUES, OrtRunner.floats(pixels, 1, 3, tile, tile)))
                    .get(VisionGraph.PROJECTOR_ROWS);
            report(
                    "vision rows at tile " + tile + " (position embedding resampled)",
                    OrtRunner.maxAbsDiff(flatten(reference.encodeImage(pixels, 1, tile)), rows));
        }
    }

    @Test
    void imagePrefillThenDecodeStepsMatch() throws Exception {
        float[] pixels = pixels(2, 2);
        float[] rows = onnx.vision(pixels, 2, TinyModels.TILE);
        int[] ids = imagePrompt(rows.length / llm.hiddenSize());
        ReferenceSession session = reference.newSession();
        float[][] expected = session.prefill(ids, reference.encodeImage(pixels, 2, TinyModels.TILE));
        OnnxPipeline.Step step =
                onnx.step(new long[][] {longs(ids, ids.length)}, new int[] {ids.length}, rows, onnx.emptyCache(1));
        double scale = Arrays.stream(expected)
                .mapToDouble(r -> OrtRunner.maxAbsDiff(r, new float[r.length]))
                .max()
                .orElseThrow();
        assertTrue(scale > 0.1, "logits too small for the tolerance to mean anything: " + scale);
        report(
                "prefill with 2 image tiles (" + ids.length + " positions, |logit| up to "
                        + String.format("%.2f", scale) + ")",
                diff(expected, step.logits(), 0));

        int next = ReferenceBatch.argmax(expected[expected.length - 1]);
        double worst = 0;
        for (int i = 0; i < 4; i++) {
            float[] want = session.decode(next);
            step = onnx.step(new long[][] {{next}}, new int[] {1}, new float[0], step.cache());
            worst = Math.max(worst, OrtRunner.maxAbsDiff(want, step.logits()));
            next = ReferenceBatch.argmax(want);
        }
        assertEquals(ids.length + 4, step.cache().capacity());
        report("4 decode steps on the KV cache", worst);
    }

    @Test
    void rightPaddedBatchOfTwoMatchesEachSequenceAlone() throws Exception {
        float[] pixels = pixels(1, 3);
        float[] rows = onnx.vision(pixels, 1, TinyModels.TILE);
        int[] withImage = imagePrompt(rows.length / llm.hiddenSize());
        int[] text = {1, 92543, 1008, 364, 777, 2, 93, 4000, 92542};
        int s = withImage.length;

        ReferenceSession textSession = reference.newSession();
        ReferenceSession imageSession = reference.newSession();
        float[][] textExpected = textSession.prefill(text, null);
        float[][] imageExpected = imageSession.prefill(withImage, reference.encodeImage(pixels, 1, TinyModels.TILE));
        OnnxPipeline.Step step = onnx.step(
                new long[][] {longs(text, s), longs(withImage, s)},
                new int[] {text.length, s},
                rows,
                onnx.emptyCache(2));
        report(
                "batch prefill, row 0 (text, " + text.length + " of " + s + " positions)",
                diff(textExpected, step.logits(), 0));
        report("batch prefill, row 1 (image, " + s + " positions)", diff(imageExpected, step.logits(), s * vocab));

        int[] next = {ReferenceBatch.argmax(textExpected[text.length - 1]), ReferenceBatch.argmax(imageExpected[s - 1])
        };
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            float[] wantText = textSession.decode(next[0]);
            float[] wantImage = imageSession.decode(next[1]);
            step = onnx.step(new long[][] {{next[0]}, {next[1]}}, new int[] {1, 1}, new float[0], step.cache());
            worst = Math.max(worst, diff(new float[][] {wantText, wantImage}, step.logits(), 0));
            next = new int[] {ReferenceBatch.argmax(wantText), ReferenceBatch.argmax(wantImage)};
        }
        report("batch of 2, 3 decode steps with per-row seqlens_k", worst);
        assertTrue(IntStream.of(step.cache().rowLengths()).boxed().toList().equals(List.of(text.length + 3, s + 3)));
    }
}
