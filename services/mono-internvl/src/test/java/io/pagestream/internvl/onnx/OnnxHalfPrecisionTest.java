package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The half-precision conversions, which target CUDA, checked on this CPU-only machine as far as the CPU execution
 * provider allows ({@link OnnxCpuKernelTypesTest} lists its kernels). Each check runs a one-tile image prompt and
 * {@value PrecisionRun#STEPS} teacher-forced decode steps against the float32 reference ({@link PrecisionRun}):
 *
 * <ul>
 *   <li>FP16 as ORT runs it on the CPU: norms, GroupQueryAttention and the residual adds run in float16, the MatMuls,
 *   Mul/Sigmoid and Where in float32 behind Casts ORT inserts, and between two such ops the value stays float32
 *   (ORT cancels the Cast pair). Optimistic: fewer roundings than a GPU.</li>
 *   <li>FP16 and BF16 with every rounding ({@link PrecisionEmulation}): ops without a CPU kernel of the type compute in
 *   float32, but every tensor the graph holds in the half type is rounded to it, as on a GPU. The BF16 decoder cannot
 *   run on the CPU otherwise (NOT_IMPLEMENTED: no bfloat16 kernel for MatMul, the norms, GroupQueryAttention...).</li>
 * </ul>
 *
 * Tolerances are set from the type's unit roundoff (2⁻¹¹ for float16, 2⁻⁸ for bfloat16) with room for the ~20
 * roundings along the path of this 2-layer model: relative logit error below 2e-2 for float16 and 1e-1 for bfloat16,
 * greedy tokens agreeing at 30 of 33 (float16) and 28 of 33 (bfloat16) positions; measured values are printed.
 */
class OnnxHalfPrecisionTest {
    static final double FP16_RELATIVE = 2e-2;
    static final double BF16_RELATIVE = 1e-1;
    static final int FP16_AGREE = 30;
    static final int BF16_AGREE = 28;
    static final long PIXELS = 9;
    /**
     * Decode graph against decoder in float16 on the CPU. Plain float16 gives identical logits (measured 0). With the
     * float32 residual they differ by float16 rounding: the explicit Casts around the FFN (down for its input, up for
     * its output) meet the Casts ORT inserts around its float32 MatMuls, and in the decode graph ORT cancels those
     * pairs, so the FFN's input and output stay float32 there, while in the decoder the FFN sits inside an If whose
     * inputs and outputs keep their float16 type. 0.1 on logits of about 100 is float16 rounding (measured 1.6e-2).
     */
    static final double DECODE_GRAPH_FP16 = 0.1;

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

    static ConversionResult convert(String name, DecoderOptions options) {
        return Converter.convert(model, dir.resolve(name), options);
    }

    static OnnxPipeline pipeline(ConversionResult result, Precision kv, LlmConfig llm) throws OrtException {
        return new OnnxPipeline(
                result.outDir(),
                llm.numHiddenLayers(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                llm.hiddenSize(),
                javaType(kv));
    }

    /** The conversion with its decoder rewritten by {@link PrecisionEmulation}, saved beside its weights. */
    static OnnxPipeline emulated(ConversionResult result, Precision half, LlmConfig llm) throws Exception {
        ModelProto decoder = ModelProto.parseFrom(Files.readAllBytes(result.decoderModel()));
        Path rewritten = result.decoderModel().resolveSibling("emulated-" + half + ".onnx");
        Files.write(
                rewritten,
                PrecisionEmulation.rewrite(decoder, half, PrecisionEmulation.cpuNative(half))
                        .toByteArray());
        return new OnnxPipeline(
                result.outDir(),
                rewritten,
                OrtSession.SessionOptions.OptLevel.NO_OPT,
                llm.numHiddenLayers(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                llm.hiddenSize(),
                javaType(half));
    }

    static OnnxJavaType javaType(Precision precision) {
        return switch (precision) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
        };
    }

    static void report(String what, PrecisionRun run) {
        System.out.printf("[precision] %s: %s%n", what, run.describe());
    }

    @Test
    void fp16AsTheCpuRunsItStaysCloseToTheReference() throws Exception {
        ConversionResult result = convert("fp16", new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true));
        assertWeightsExternalAndAligned(result);
        PrecisionRun run;
        try (OnnxPipeline onnx = pipeline(result, Precision.FP16, llm)) {
            run = PrecisionRun.of(onnx, reference, PIXELS);
        }
        double decodeGraph;
        try (OnnxPipeline onnx = pipeline(result, Precision.FP16, llm)) {
            decodeGraph = decodeGraphVsDecoder(onnx, 4);
        }
        System.out.printf("[precision] fp16: decode graph vs decoder, 4 steps, logits %.3e%n", decodeGraph);
        assertTrue(decodeGraph < DECODE_GRAPH_FP16, "decode graph vs decoder: " + decodeGraph);
        report("fp16, CPU EP as ORT runs it", run);
        System.out.println("[precision] fp16 decoder on the CPU EP, nodes on float16 / float32 inputs: "
                + cpuNodeTypes(result.decoderModel()));
        assertTrue(
                run.finite()
                        && run.prefillRel() < FP16_RELATIVE
                        && run.decodeRel() < FP16_RELATIVE
                        && run.agree() >= FP16_AGREE
                        && run.visionAbs() < 1e-2,
                run.describe());
    }

    @Test
    void fp16WithEveryRoundingStaysCloseToTheReference() throws Exception {
        ConversionResult result = convert("fp16", new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true));
        PrecisionRun run;
        try (OnnxPipeline onnx = emulated(result, Precision.FP16, llm)) {
            run = PrecisionRun.of(onnx, reference, PIXELS);
        }
        report("fp16, every tensor rounded (emulated)", run);
        assertTrue(
                run.finite()
                        && run.prefillRel() < FP16_RELATIVE
                        && run.decodeRel() < FP16_RELATIVE
                        && run.agree() >= FP16_AGREE,
                run.describe());
    }

    @Test
    void bf16WithEveryRoundingStaysCloseToTheReference() throws Exception {
        ConversionResult result = convert("bf16", new DecoderOptions(TargetDtype.BF16, Int4Options.DEFAULT, true));
        PrecisionRun run;
        try (OnnxPipeline onnx = emulated(result, Precision.BF16, llm)) {
            run = PrecisionRun.of(onnx, reference, PIXELS);
        }
        report("bf16, every tensor rounded (emulated)", run);
        assertTrue(
                run.finite()
                        && run.prefillRel() < BF16_RELATIVE
                        && run.decodeRel() < BF16_RELATIVE
                        && run.agree() >= BF16_AGREE
                        && run.visionAbs() < OnnxVsReferenceTest.TOLERANCE,
                run.describe());
    }

    @Test
    void fp16WithFp32ResidualStaysCloseToTheReference() throws Exception {
        ConversionResult result =
                convert("fp16-r32", new DecoderOptions(TargetDtype.FP16, Int4Options.DEFAULT, true, true));
        assertTrue(result.manifest().fp32Residual());
        PrecisionRun asIs;
        try (OnnxPipeline onnx = pipeline(result, Precision.FP16, llm)) {
            asIs = PrecisionRun.of(onnx, reference, PIXELS);
        }
        PrecisionRun rounded;
        try (OnnxPipeline onnx = emulated(result, Precision.FP16, llm)) {
            rounded = PrecisionRun.of(onnx, reference, PIXELS);
        }
        double decodeGraph;
        try (OnnxPipeline onnx = pipeline(result, Precision.FP16, llm)) {
            decodeGraph = decodeGraphVsDecoder(onnx, 4);
        }
        System.out.printf(
                "[precision] fp16 + fp32 residual: decode graph vs decoder, 4 steps, logits %.3e%n", decodeGraph);
        assertTrue(decodeGraph < DECODE_GRAPH_FP16, "decode graph vs decoder: " + decodeGraph);
        report("fp16 + fp32 residual, CPU EP as ORT runs it", asIs);
        report("fp16 + fp32 residual, every tensor rounded (emulated)", rounded);
        for (PrecisionRun run : List.of(asIs, rounded)) {
            assertTrue(
                    run.finite()
                            && run.prefillRel() < FP16_RELATIVE
                            && run.decodeRel() < FP16_RELATIVE
                            && run.agree() >= FP16_AGREE,
                    run.describe());
        }
    }

    @Test
    void bf16BuildsAValidGraphThatOnlyLacksCpuKernels() throws Exception {
        ConversionResult result = Converter.convert(model, dir.resolve("bf16-gen"), TargetDtype.BF16);
        assertWeightsExternalAndAligned(result);
        try (OrtRunner embedding = new OrtRunner(result.embeddingModel())) {
            assertTrue(embedding.session().getInputNames().contains(EmbeddingGraph.INPUT_IDS));
        }
        try (OrtRunner vision = new OrtRunner(result.visionModel())) {
            float[] pixels = OnnxVsReferenceTest.pixels(1, 4);
            float[] rows = vision.run(java.util.Map.of(
                            VisionGraph.PIXEL_VALUES, OrtRunner.floats(pixels, 1, 3, TinyModels.TILE, TinyModels.TILE)))
                    .get(VisionGraph.PROJECTOR_ROWS);
            double diff = OrtRunner.maxAbsDiff(
                    OnnxVsReferenceTest.flatten(reference.encodeImage(pixels, 1, TinyModels.TILE)), rows);
            assertTrue(diff < OnnxVsReferenceTest.TOLERANCE, "bf16 conversion's float32 vision graph: " + diff);
        }
        for (Path graph : List.of(result.decoderModel(), result.decodeModel())) {
            try (OrtRunner decoder = new OrtRunner(graph)) {
                throw new AssertionError(
                        "a CPU build of ONNX Runtime 1.23 was not expected to run a bfloat16 " + "decoder");
            } catch (OrtException e) {
                assertEquals(OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED, e.getCode(), e.getMessage());
            }
        }
    }

    /**
     * Greedy text steps after an image prefill, once through the decoder and once through the decode-step graph, each
     * on its own cache and fed the decoder's tokens: the largest logit difference.
     */
    static double decodeGraphVsDecoder(OnnxPipeline onnx, int steps) throws Exception {
        float[] rows = onnx.vision(OnnxVsReferenceTest.pixels(1, PIXELS), 1, TinyModels.TILE);
        int[] ids = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
        OnnxPipeline.Step prefill = onnx.step(
                new long[][] {OnnxVsReferenceTest.longs(ids, ids.length)},
                new int[] {ids.length},
                rows,
                onnx.emptyCache(1));
        int vocab = llm.vocabSize();
        float[] last = java.util.Arrays.copyOfRange(prefill.logits(), (ids.length - 1) * vocab, ids.length * vocab);
        long next = io.pagestream.internvl.reference.ReferenceBatch.argmax(last);
        OnnxPipeline.Cache viaDecoder = prefill.cache();
        OnnxPipeline.Cache viaDecode = prefill.cache();
        double worst = 0;
        for (int i = 0; i < steps; i++) {
            OnnxPipeline.Step a = onnx.step(new long[][] {{next}}, new int[] {1}, new float[0], viaDecoder);
            OnnxPipeline.Step b = onnx.decodeStep(new long[] {next}, new float[0], viaDecode);
            worst = Math.max(worst, OrtRunner.maxAbsDiff(a.logits(), b.logits()));
            viaDecoder = a.cache();
            viaDecode = b.cache();
            next = io.pagestream.internvl.reference.ReferenceBatch.argmax(a.logits());
        }
        return worst;
    }

    /** Per op type, nodes that ORT ran on float16 inputs / on float32 inputs, from the graph it optimised. */
    static String cpuNodeTypes(Path decoderModel) throws Exception {
        Path optimized = decoderModel.resolveSibling("cpu-optimized.onnx");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
        options.setOptimizedModelFilePath(optimized.toString());
        try (OrtSession session = OrtRunner.ENV.createSession(decoderModel.toString(), options)) {
            // Created only to make ORT write the graph it runs.
        }
        StringBuilder text = new StringBuilder();
        PrecisionEmulation.nodeTypes(ModelProto.parseFrom(Files.readAllBytes(optimized)), Precision.FP16)
                .forEach((op, n) -> text.append(op)
                        .append(' ')
                        .append(n[0])
                        .append('/')
                        .append(n[1])
                        .append(", "));
        return text.toString();
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
                long offset = tensor.getExternalDataList().stream()
                        .filter(e -> e.getKey().equals("offset"))
                        .map(StringStringEntryProto::getValue)
                        .mapToLong(Long::parseLong)
                        .findFirst()
                        .orElseThrow();
                assertEquals(0, offset % WeightFile.ALIGNMENT, tensor.getName());
            }
            assertTrue(proto.getGraph().getInitializerCount() > inline.size(), graph + " has no external weights");
        }
    }
}
