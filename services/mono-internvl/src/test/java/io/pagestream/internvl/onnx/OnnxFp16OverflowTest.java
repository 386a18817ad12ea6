package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.bench.ActivationRange;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceModel;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The float16 overflow the spec warns about, made on purpose, and {@link DecoderOptions#fp32Residual()} as the answer.
 *
 * <p>A tiny random checkpoint is edited so that, like the massive activations of trained InternLM2 models, one
 * channel of the residual stream grows past 65504 while every tensor a matmul writes stays below it: channel 0 of
 * every token embedding is 60000, and row 0 of layer 0's text-FFN {@code w2} is set to s · g / |g|², where g is the
 * FFN intermediate a text token's normed input (≈ 8 · ffn_norm[0] · e₀, since channel 0 dominates its RMS) produces,
 * so that the FFN adds about s = 30000 to channel 0 of every text token: the residual reaches about 90000. The
 * float32 activation measurement ({@link ActivationRange}) confirms those ranges; then plain float16 must produce
 * non-finite logits (the residual add overflows to infinity and the next norm makes NaN), both as the CPU provider
 * runs it and with every rounding ({@link PrecisionEmulation}), while float16 with a float32 residual must stay finite
 * and close to the float32 reference.
 */
class OnnxFp16OverflowTest {
    static final float EMBEDDING = 60000f;
    static final float FFN_ADD = 30000f;

    @TempDir
    static Path dir;

    static Path model;
    static ReferenceModel reference;
    static LlmConfig llm;

    @BeforeAll
    static void checkpoint() throws Exception {
        Path random = dir.resolve("random");
        TinyModels.write(random, 11);
        model = dir.resolve("overflowing");
        Checkpoint source = Checkpoint.open(random);
        llm = TinyModels.config().llm();
        int hidden = llm.hiddenSize();
        int inner = llm.intermediateSize();
        String layer0 = "language_model.model.layers.0.";
        float normWeight = source.toFloatArray(layer0 + "ffn_norm.weight")[0];
        float[] w1 = source.toFloatArray(layer0 + "feed_forward.w1.weight");
        float[] w3 = source.toFloatArray(layer0 + "feed_forward.w3.weight");
        double y0 = Math.sqrt(hidden) * normWeight;
        float[] g = new float[inner];
        double norm2 = 0;
        for (int i = 0; i < inner; i++) {
            double gate = y0 * w1[i * hidden];
            double up = y0 * w3[i * hidden];
            g[i] = (float) (gate / (1 + Math.exp(-gate)) * up);
            norm2 += (double) g[i] * g[i];
        }
        double scale = FFN_ADD / norm2;
        EditedCheckpoint.write(random, model, (name, values) -> {
            if (name.equals("language_model.model.tok_embeddings.weight")) {
                for (int row = 0; row < values.length / hidden; row++) {
                    values[row * hidden] = EMBEDDING;
                }
            } else if (name.equals(layer0 + "feed_forward.w2.weight")) {
                for (int i = 0; i < inner; i++) {
                    values[i] = (float) (scale * g[i]);
                }
            }
            return values;
        });
        reference = ReferenceModel.load(ModelCheckpoint.open(model));
    }

    @Test
    void fp32MeasurementShowsTheResidualPastFp16WithMatmulOutputsBelow() throws Exception {
        ActivationRange.Result range = ActivationRange.measure(
                model,
                dir.resolve("activations"),
                new ActivationRange.Options(4, DecoderOptions.of(TargetDtype.FP32), 2),
                line -> {});
        ActivationRange.print(range, System.out);
        assertTrue(range.maxResidual() > ActivationRange.FP16_MAX, "residual " + range.maxResidual());
        assertTrue(range.embeddings() < ActivationRange.FP16_MAX, "embeddings " + range.embeddings());
        assertTrue(range.maxMatmulOutput() < ActivationRange.FP16_MAX, "matmul outputs " + range.maxMatmulOutput());
        assertTrue(Float.isFinite(range.logits()));
    }

    @Test
    void plainFp16OverflowsAndFp32ResidualDoesNot() throws Exception {
        ConversionResult plain = Converter.convert(
                model, dir.resolve("fp16"), new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true));
        ConversionResult fp32Residual = Converter.convert(
                model, dir.resolve("fp16-r32"), new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true, true));
        PrecisionRun plainCpu;
        PrecisionRun plainRounded;
        PrecisionRun residualCpu;
        PrecisionRun residualRounded;
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.pipeline(plain, Precision.FP16, llm)) {
            plainCpu = PrecisionRun.of(onnx, reference, 9);
        }
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.emulated(plain, Precision.FP16, llm)) {
            plainRounded = PrecisionRun.of(onnx, reference, 9);
        }
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.pipeline(fp32Residual, Precision.FP16, llm)) {
            residualCpu = PrecisionRun.of(onnx, reference, 9);
        }
        try (OnnxPipeline onnx = OnnxHalfPrecisionTest.emulated(fp32Residual, Precision.FP16, llm)) {
            residualRounded = PrecisionRun.of(onnx, reference, 9);
        }
        OnnxHalfPrecisionTest.report("overflowing checkpoint, plain fp16, CPU EP as ORT runs it", plainCpu);
        OnnxHalfPrecisionTest.report("overflowing checkpoint, plain fp16, every tensor rounded", plainRounded);
        OnnxHalfPrecisionTest.report(
                "overflowing checkpoint, fp16 + fp32 residual, CPU EP as ORT runs it", residualCpu);
        OnnxHalfPrecisionTest.report(
                "overflowing checkpoint, fp16 + fp32 residual, every tensor rounded", residualRounded);
        assertFalse(plainCpu.finite(), plainCpu.describe());
        assertFalse(plainRounded.finite(), plainRounded.describe());
        for (PrecisionRun run : java.util.List.of(residualCpu, residualRounded)) {
            assertTrue(
                    run.finite()
                            && run.prefillRel() < OnnxHalfPrecisionTest.FP16_RELATIVE
                            && run.decodeRel() < OnnxHalfPrecisionTest.FP16_RELATIVE
                            && run.agree() >= OnnxHalfPrecisionTest.FP16_AGREE,
                    run.describe());
        }
    }
}
