package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The half-precision conversions, which target CUDA. On this CPU-only machine: FP16 happens to run on the CPU
 * execution provider, so it is compared with the float32 reference (loosely: weights and activations are rounded to
 * 11 significant bits). BF16 cannot run here (the CPU provider has no bfloat16 SimplifiedLayerNormalization); the test
 * checks that ORT rejects its decoder only for a missing kernel (NOT_IMPLEMENTED, which ORT reports after the graph
 * passed type checking), never as an invalid graph, and that its float32 vision graph matches the reference.
 * BF16 numerics are unverified.
 */
class OnnxHalfPrecisionTest {
    static final double FP16_TOLERANCE = 0.25;

    @TempDir
    static Path dir;

    static Path model;
    static ReferenceModel reference;
    static LlmConfig llm;

    @BeforeAll
    static void checkpoint() {
        model = dir.resolve("checkpoint");
        TinyModels.write(model, 3);
        reference = ReferenceModel.load(ModelCheckpoint.open(model));
        llm = reference.config().llm();
    }

    @Test
    void fp16RunsOnTheCpuAndStaysCloseToTheReference() throws Exception {
        ConversionResult result = Converter.convert(model, dir.resolve("fp16"),
                new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true));
        assertWeightsExternalAndAligned(result);
        try (OnnxPipeline onnx = new OnnxPipeline(result.outDir(), llm.numHiddenLayers(), llm.numKeyValueHeads(),
                llm.headDim(), llm.hiddenSize(), OnnxJavaType.FLOAT16)) {
            float[] pixels = OnnxVsReferenceTest.pixels(1, 9);
            float[] rows = onnx.vision(pixels, 1, TinyModels.TILE);
            float[][] expectedRows = reference.encodeImage(pixels, 1, TinyModels.TILE);
            double vision = OrtRunner.maxAbsDiff(OnnxVsReferenceTest.flatten(expectedRows), rows);
            int[] ids = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
            ReferenceSession session = reference.newSession();
            float[][] expected = session.prefill(ids, expectedRows);
            OnnxPipeline.Step step = onnx.step(new long[][] {OnnxVsReferenceTest.longs(ids, ids.length)},
                    new int[] {ids.length}, rows, onnx.emptyCache(1));
            double prefill = OnnxVsReferenceTest.diff(expected, step.logits(), 0, llm.vocabSize());
            int next = ReferenceBatch.argmax(expected[expected.length - 1]);
            double decode = 0;
            for (int i = 0; i < 3; i++) {
                float[] want = session.decode(next);
                step = onnx.step(new long[][] {{next}}, new int[] {1}, new float[0], step.cache());
                decode = Math.max(decode, OrtRunner.maxAbsDiff(want, step.logits()));
                next = ReferenceBatch.argmax(want);
            }
            System.out.printf("[onnx-vs-reference] fp16 on CPU: vision rows %.3e, prefill %.3e, decode %.3e%n",
                    vision, prefill, decode);
            assertTrue(vision < FP16_TOLERANCE && prefill < FP16_TOLERANCE && decode < FP16_TOLERANCE,
                    vision + " / " + prefill + " / " + decode);
        }
    }

    @Test
    void bf16BuildsAValidGraphThatOnlyLacksCpuKernels() throws Exception {
        ConversionResult result = Converter.convert(model, dir.resolve("bf16"), TargetDtype.BF16);
        assertWeightsExternalAndAligned(result);
        try (OrtRunner embedding = new OrtRunner(result.embeddingModel())) {
            assertTrue(embedding.session().getInputNames().contains(EmbeddingGraph.INPUT_IDS));
        }
        try (OrtRunner vision = new OrtRunner(result.visionModel())) {
            float[] pixels = OnnxVsReferenceTest.pixels(1, 4);
            float[] rows = vision.run(java.util.Map.of(VisionGraph.PIXEL_VALUES,
                    OrtRunner.floats(pixels, 1, 3, TinyModels.TILE, TinyModels.TILE))).get(VisionGraph.PROJECTOR_ROWS);
            double diff = OrtRunner.maxAbsDiff(OnnxVsReferenceTest.flatten(
                    reference.encodeImage(pixels, 1, TinyModels.TILE)), rows);
            assertTrue(diff < OnnxVsReferenceTest.TOLERANCE, "bf16 conversion's float32 vision graph: " + diff);
        }
        try (OrtRunner decoder = new OrtRunner(result.decoderModel())) {
            throw new AssertionError("a CPU build of ONNX Runtime 1.23 was not expected to run bfloat16 RMSNorm");
        } catch (OrtException e) {
            assertEquals(OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED, e.getCode(), e.getMessage());
        }
    }

    private static void assertWeightsExternalAndAligned(ConversionResult result) throws Exception {
        for (Path graph : List.of(result.embeddingModel(), result.visionModel(), result.decoderModel())) {
            ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(graph));
            List<String> inline = new ArrayList<>();
            for (TensorProto tensor : proto.getGraph().getInitializerList()) {
                if (tensor.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                    assertTrue(tensor.getRawData().size() <= 1024, tensor.getName() + " is large and inline");
                    inline.add(tensor.getName());
                    continue;
                }
                long offset = tensor.getExternalDataList().stream().filter(e -> e.getKey().equals("offset"))
                        .map(StringStringEntryProto::getValue).mapToLong(Long::parseLong).findFirst().orElseThrow();
                assertEquals(0, offset % WeightFile.ALIGNMENT, tensor.getName());
            }
            assertTrue(proto.getGraph().getInitializerCount() > inline.size(), graph + " has no external weights");
        }
    }
}
