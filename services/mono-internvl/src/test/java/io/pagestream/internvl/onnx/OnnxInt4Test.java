package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int4 conversion (MatMulNBits for wqkv, wo, both FFN experts and the LM head; block 32). Its yardstick is the
 * reference run on the same checkpoint with those weights replaced by their dequantised values
 * ({@link DequantizedCheckpoint}): with accuracy_level 0 the graph must match it within {@value #EXACT}. With
 * accuracy_level 4 the CPU also quantises activations to int8 per block; that costs about 0.6 here (a few per cent
 * of the logit range) and is allowed {@value #INT8_ACTIVATIONS}.
 * The distance to the unquantised float32 reference is the quantisation error itself; it is reported and only
 * bounded loosely ({@value #QUANTISATION_ERROR}), because this random model's LM head has rows scaled by log-normal
 * factors (logits reach ±70), and 4-bit weights move such logits by several units.
 */
class OnnxInt4Test {
    static final double EXACT = 1e-3;
    static final double INT8_ACTIVATIONS = 1.0;
    static final double QUANTISATION_ERROR = 15;

    @TempDir
    static Path dir;

    static Path model;
    static ReferenceModel reference;

    @BeforeAll
    static void checkpoint() {
        model = dir.resolve("checkpoint");
        TinyModels.write(model, 7);
        reference = ReferenceModel.load(ModelCheckpoint.open(model));
    }

    @ParameterizedTest
    @CsvSource({"true, 0", "false, 0", "true, 4"})
    void imagePrefillAndDecodeStayWithinQuantisationError(boolean symmetric, int accuracyLevel) throws Exception {
        ConversionResult result = Converter.convert(
                model,
                dir.resolve("int4-" + symmetric + "-" + accuracyLevel),
                new DecoderOptions(TargetDtype.INT4, new Int4Options(symmetric, accuracyLevel), true));
        var llm = reference.config().llm();
        try (OnnxPipeline onnx = new OnnxPipeline(
                result.outDir(), llm.numHiddenLayers(), llm.numKeyValueHeads(), llm.headDim(), llm.hiddenSize())) {
            float[] pixels = OnnxVsReferenceTest.pixels(1, 5);
            float[] rows = onnx.vision(pixels, 1, TinyModels.TILE);
            int[] ids = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
            Path dequantisedDir = dir.resolve("dequantised-" + symmetric + "-" + accuracyLevel);
            DequantizedCheckpoint.write(model, dequantisedDir, symmetric);
            ReferenceModel dequantised = ReferenceModel.load(ModelCheckpoint.open(dequantisedDir));
            float[][] imageRows = reference.encodeImage(pixels, 1, TinyModels.TILE);
            float[][] unquantised = reference.newSession().prefill(ids, imageRows);
            ReferenceSession session = dequantised.newSession();
            float[][] expected = session.prefill(ids, imageRows);
            OnnxPipeline.Step step = onnx.step(
                    new long[][] {OnnxVsReferenceTest.longs(ids, ids.length)},
                    new int[] {ids.length},
                    rows,
                    onnx.emptyCache(1));
            double prefill = diff(expected, step.logits(), llm.vocabSize());
            double quantisation = diff(unquantised, step.logits(), llm.vocabSize());
            int next = ReferenceBatch.argmax(expected[expected.length - 1]);
            double decode = 0;
            for (int i = 0; i < 3; i++) {
                float[] want = session.decode(next);
                step = onnx.step(new long[][] {{next}}, new int[] {1}, new float[0], step.cache());
                decode = Math.max(decode, OrtRunner.maxAbsDiff(want, step.logits()));
                next = ReferenceBatch.argmax(want);
            }
            String what = "int4 symmetric=" + symmetric + " accuracy_level=" + accuracyLevel;
            System.out.printf(
                    "[onnx-vs-reference] %s vs dequantised reference: prefill max abs diff %.3e, "
                            + "decode %.3e; vs float32 reference (quantisation error): %.3e%n",
                    what, prefill, decode, quantisation);
            double tolerance = accuracyLevel == 0 ? EXACT : INT8_ACTIVATIONS;
            assertTrue(prefill < tolerance && decode < tolerance, what + ": " + prefill + " / " + decode);
            assertTrue(quantisation < QUANTISATION_ERROR, what + ": quantisation error " + quantisation);
        }
    }

    /**
     * {@link TargetDtype#INT4_FP16}: the same 4-bit weights with float16 activations, scales and KV cache, as the
     * CUDA MatMulNBits takes them. The CPU provider has a float16 MatMulNBits kernel, so the graph runs here (its
     * other float16 ops as {@link OnnxHalfPrecisionTest} describes); against the dequantised reference it must
     * show only float16 rounding ({@link OnnxHalfPrecisionTest#FP16_RELATIVE}, greedy agreement
     * {@link OnnxHalfPrecisionTest#FP16_AGREE} of 33), with every rounding emulated too.
     */
    @Test
    void int4WithFp16ActivationsShowsOnlyFp16RoundingOverTheDequantisedWeights() throws Exception {
        ConversionResult result = Converter.convert(
                model, dir.resolve("int4-fp16"), new DecoderOptions(TargetDtype.INT4_FP16, Int4Options.DEFAULT, true));
        assertEquals("INT4_FP16", result.manifest().dtype());
        Path dequantisedDir = dir.resolve("dequantised-int4-fp16");
        DequantizedCheckpoint.write(model, dequantisedDir, true);
        ReferenceModel dequantised = ReferenceModel.load(ModelCheckpoint.open(dequantisedDir));
        var llm = reference.config().llm();
        PrecisionRun cpu;
        PrecisionRun rounded;
        PrecisionRun quantisation;
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.pipeline(result, Precision.FP16, llm)) {
            cpu = PrecisionRun.of(onnx, dequantised, 5);
            quantisation = PrecisionRun.of(onnx, reference, 5);
        }
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.emulated(result, Precision.FP16, llm)) {
            rounded = PrecisionRun.of(onnx, dequantised, 5);
        }
        OnnxHalfPrecisionTest.report("int4 + fp16 activations vs dequantised reference, CPU EP as ORT runs it", cpu);
        OnnxHalfPrecisionTest.report("int4 + fp16 activations vs dequantised reference, every tensor rounded", rounded);
        OnnxHalfPrecisionTest.report("int4 + fp16 activations vs float32 reference (quantisation error)", quantisation);
        for (PrecisionRun run : java.util.List.of(cpu, rounded)) {
            assertTrue(
                    run.finite()
                            && run.prefillRel() < OnnxHalfPrecisionTest.FP16_RELATIVE
                            && run.decodeRel() < OnnxHalfPrecisionTest.FP16_RELATIVE
                            && run.agree() >= OnnxHalfPrecisionTest.FP16_AGREE,
                    run.describe());
        }
        assertTrue(quantisation.prefillAbs() < QUANTISATION_ERROR, quantisation.describe());
    }

    private static double diff(float[][] expected, float[] actual, int vocab) {
        double max = 0;
        for (int r = 0; r < expected.length; r++) {
            for (int i = 0; i < vocab; i++) {
                max = Math.max(max, Math.abs(expected[r][i] - actual[r * vocab + i]));
            }
        }
        return max;
    }
}
