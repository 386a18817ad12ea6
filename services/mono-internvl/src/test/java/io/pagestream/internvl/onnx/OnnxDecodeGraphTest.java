package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceBatch;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decode-step graph ({@code decoder/decode.onnx}) against the decoder graph it is cut from: on text tokens over
 * a cache that a prefill (with image tokens) filled, both must give the same logits and new keys and values, step
 * after step; the saved graph must hold no {@code If}, no visual mask and no visual expert, and refer to the
 * decoder's weight bytes instead of adding its own.
 */
class OnnxDecodeGraphTest {
    static final double SAME = 1e-5;
    /** int4 shares the decoder's quantised bytes and kernels; only the FFN's place in the graph differs. */
    static final double INT4_CLOSE = 1e-4;

    @TempDir
    static Path dir;

    static Path model;
    static LlmConfig llm;
    static Map<TargetDtype, ConversionResult> conversions = new HashMap<>();

    @BeforeAll
    static void convert() {
        model = dir.resolve("checkpoint");
        TinyModels.write(model, 21);
        llm = TinyModels.config().llm();
        for (TargetDtype dtype : List.of(TargetDtype.FP32, TargetDtype.INT4)) {
            conversions.put(dtype, Converter.convert(model, dir.resolve(dtype.name()), dtype));
        }
    }

    static OnnxPipeline pipeline(TargetDtype dtype) throws Exception {
        return new OnnxPipeline(
                conversions.get(dtype).outDir(),
                llm.numHiddenLayers(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                llm.hiddenSize());
    }

    @Test
    void batchOfOneAfterAnImagePrefillMatchesTheDecoder() throws Exception {
        try (OnnxPipeline onnx = pipeline(TargetDtype.FP32)) {
            float[] rows = onnx.vision(OnnxVsReferenceTest.pixels(1, 31), 1, TinyModels.TILE);
            int[] ids = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
            OnnxPipeline.Step prefill = onnx.step(
                    new long[][] {OnnxVsReferenceTest.longs(ids, ids.length)},
                    new int[] {ids.length},
                    rows,
                    onnx.emptyCache(1));
            Worst worst = decodeBoth(onnx, prefill, 5);
            worst.report("fp32, batch 1 after a 1-tile image prefill, 5 steps", SAME);

            float[] oneRow = Arrays.copyOf(rows, llm.hiddenSize());
            long[] visual = {TinyModels.IMG_CONTEXT};
            OnnxPipeline.Step viaExpert = onnx.step(new long[][] {visual}, new int[] {1}, oneRow, prefill.cache());
            OnnxPipeline.Step viaText = onnx.decodeStep(visual, oneRow, prefill.cache());
            double logits = OrtRunner.maxAbsDiff(viaExpert.logits(), viaText.logits());
            double kv = kvDiff(viaExpert.cache(), viaText.cache());
            System.out.printf(
                    "[decode-graph] a step whose token is visual: decoder (visual expert) vs decode graph "
                            + "(text FFN), logits %.3e, present K/V %.3e%n",
                    logits, kv);
            assertTrue(logits > 1e-2 && kv > 1e-3, "the visual expert should show: " + logits + " / " + kv);
        }
    }

    @Test
    void raggedBatchOfThreeMatchesTheDecoder() throws Exception {
        try (OnnxPipeline onnx = pipeline(TargetDtype.FP32)) {
            decodeRaggedBatch(onnx)
                    .report("fp32, batch 3, rows of 12/76/5 positions (one with an image), 4 steps", SAME);
        }
    }

    @Test
    void int4DecodeGraphMatchesTheInt4Decoder() throws Exception {
        try (OnnxPipeline onnx = pipeline(TargetDtype.INT4)) {
            decodeRaggedBatch(onnx)
                    .report("int4, batch 3, rows of 12/76/5 positions (one with an image), 4 steps", INT4_CLOSE);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TargetDtype.class,
            names = {"FP32", "INT4"})
    void decodeGraphHasNoRoutingAndNoVisualExpert(TargetDtype dtype) throws Exception {
        GraphProto decoder = graph(conversions.get(dtype).decoderModel());
        GraphProto decode = graph(conversions.get(dtype).decodeModel());

        assertTrue(ops(decoder).filter("If"::equals).count() >= llm.numHiddenLayers(), "decoder routes by If");
        assertTrue(ops(decode).noneMatch("If"::equals), "decode graph has an If");
        assertTrue(visualExpert(decoder) > 0);
        assertEquals(0, visualExpert(decode));

        List<ValueInfoProto> textInputs = decoder.getInputList().stream()
                .filter(i -> !i.getName().equals(DecoderGraph.VISUAL_MASK))
                .toList();
        assertEquals(decoder.getInputCount() - 1, textInputs.size());
        assertEquals(textInputs, decode.getInputList());
        assertEquals(decoder.getOutputList(), decode.getOutputList());
    }

    @ParameterizedTest
    @EnumSource(
            value = TargetDtype.class,
            names = {"FP32", "INT4"})
    void decodeGraphRefersToTheDecoderBytesAndAddsNone(TargetDtype dtype) throws Exception {
        ConversionResult result = conversions.get(dtype);
        Map<String, Map<String, String>> decoder = external(graph(result.decoderModel()));
        Map<String, Map<String, String>> decode = external(graph(result.decodeModel()));
        assertFalse(decode.isEmpty());
        decode.forEach((name, location) -> assertEquals(decoder.get(name), location, name));
        assertTrue(decode.values().stream().allMatch(e -> e.get("location").equals(Converter.DATA_FILE)));
        long distinctOffsets =
                decoder.values().stream().map(e -> e.get("offset")).distinct().count();
        assertEquals(decoder.size(), distinctOffsets, "each tensor written once");

        long shared = Files.size(result.decoderModel().resolveSibling(Converter.DATA_FILE));
        long decoderAlone = dataFileOf(dtype, "decoder-alone", DecoderGraph::build);
        long decodeAlone = dataFileOf(dtype, "decode-alone", DecoderGraph::buildDecodeOnly);
        System.out.printf(
                "[decode-graph] %s data file: decoder alone %d bytes, decoder + decode graph %d bytes "
                        + "(a separate decode data file would be %d bytes)%n",
                dtype, decoderAlone, shared, decodeAlone);
        assertEquals(decoderAlone, shared);
        assertTrue(decodeAlone > 0);
    }

    /**
     * A right-padded batch prefill of a text prompt, an image prompt and a short text prompt, then decode steps
     * through both graphs.
     */
    private static Worst decodeRaggedBatch(OnnxPipeline onnx) throws Exception {
        float[] rows = onnx.vision(OnnxVsReferenceTest.pixels(1, 32), 1, TinyModels.TILE);
        int[] image = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
        int[] text = {1, 92543, 1008, 364, 777, 2, 93, 4000, 92542, 92543, 525, 66};
        int[] shortText = {1, 92543, 66, 4000, 92542};
        int s = image.length;
        assertEquals(76, s);
        OnnxPipeline.Step prefill = onnx.step(
                new long[][] {
                    OnnxVsReferenceTest.longs(text, s),
                    OnnxVsReferenceTest.longs(image, s),
                    OnnxVsReferenceTest.longs(shortText, s)
                },
                new int[] {text.length, s, shortText.length},
                rows,
                onnx.emptyCache(3));
        return decodeBoth(onnx, prefill, 4);
    }

    /**
     * Greedy steps from {@code prefill}, each graph on its own cache, fed the same tokens (the decoder's argmax):
     * logits and every row's valid keys and values compared after each step.
     */
    private static Worst decodeBoth(OnnxPipeline onnx, OnnxPipeline.Step prefill, int steps) throws Exception {
        int vocab = llm.vocabSize();
        OnnxPipeline.Cache viaDecoder = prefill.cache();
        OnnxPipeline.Cache viaDecode = prefill.cache();
        long[] next = argmax(prefill.logits(), vocab);
        Worst worst = new Worst();
        for (int i = 0; i < steps; i++) {
            long[][] column =
                    Arrays.stream(next).mapToObj(id -> new long[] {id}).toArray(long[][]::new);
            int[] ones = new int[next.length];
            Arrays.fill(ones, 1);
            OnnxPipeline.Step a = onnx.step(column, ones, new float[0], viaDecoder);
            OnnxPipeline.Step b = onnx.decodeStep(next, new float[0], viaDecode);
            assertEquals(next.length * vocab, b.logits().length);
            worst.logits = Math.max(worst.logits, OrtRunner.maxAbsDiff(a.logits(), b.logits()));
            worst.kv = Math.max(worst.kv, kvDiff(a.cache(), b.cache()));
            viaDecoder = a.cache();
            viaDecode = b.cache();
            next = argmax(a.logits(), vocab);
        }
        return worst;
    }

    private static final class Worst {
        double logits;
        double kv;

        void report(String what, double tolerance) {
            System.out.printf(
                    "[decode-graph] %s: decode graph vs decoder, logits %.3e, present K/V %.3e%n", what, logits, kv);
            assertTrue(logits < tolerance, what + ": logits " + logits);
            assertTrue(kv < tolerance, what + ": present K/V " + kv);
        }
    }

    /** Largest difference over each row's valid positions (the rest of a right-padded cache is undefined). */
    private static double kvDiff(OnnxPipeline.Cache a, OnnxPipeline.Cache b) {
        assertEquals(a.capacity(), b.capacity());
        assertTrue(Arrays.equals(a.rowLengths(), b.rowLengths()));
        int kv = llm.numKeyValueHeads();
        int d = llm.headDim();
        double max = 0;
        for (int n = 0; n < llm.numHiddenLayers(); n++) {
            for (FloatBuffer[] pair : List.of(
                    new FloatBuffer[] {floats(a.keys()[n]), floats(b.keys()[n])},
                    new FloatBuffer[] {floats(a.values()[n]), floats(b.values()[n])})) {
                for (int row = 0; row < a.rowLengths().length; row++) {
                    for (int h = 0; h < kv; h++) {
                        int start = ((row * kv + h) * a.capacity()) * d;
                        for (int i = start; i < start + a.rowLengths()[row] * d; i++) {
                            max = Math.max(max, Math.abs(pair[0].get(i) - pair[1].get(i)));
                        }
                    }
                }
            }
        }
        return max;
    }

    private static FloatBuffer floats(java.nio.ByteBuffer bytes) {
        return bytes.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static long[] argmax(float[] logits, int vocab) {
        long[] ids = new long[logits.length / vocab];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = ReferenceBatch.argmax(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab));
        }
        return ids;
    }

    private static GraphProto graph(Path file) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
    }

    /** Op types of every node, those inside subgraph attributes included. */
    private static Stream<String> ops(GraphProto graph) {
        return graph.getNodeList().stream()
                .flatMap(node -> Stream.concat(
                        Stream.of(node.getOpType()), subgraphs(node).flatMap(OnnxDecodeGraphTest::ops)));
    }

    private static Stream<GraphProto> subgraphs(NodeProto node) {
        return node.getAttributeList().stream().filter(AttributeProto::hasG).map(AttributeProto::getG);
    }

    private static long visualExpert(GraphProto graph) {
        return graph.getInitializerList().stream()
                .filter(t -> t.getName().contains("feed_forward_ve."))
                .count();
    }

    /** Initializers stored in a data file, by name: their location, offset and length. */
    private static Map<String, Map<String, String>> external(GraphProto graph) {
        return graph.getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .collect(Collectors.toMap(TensorProto::getName, t -> t.getExternalDataList().stream()
                        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue))));
    }

    private interface Build {
        void build(GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, DecoderOptions options);
    }

    /** The size of the data file one graph writes alone, as the converter before the decode graph wrote it. */
    private static long dataFileOf(TargetDtype dtype, String name, Build build) throws IOException {
        Path out = dir.resolve(dtype + "-" + name);
        Files.createDirectories(out);
        Path data = out.resolve(Converter.DATA_FILE);
        try (WeightFile weights = new WeightFile(data)) {
            build.build(GraphBuilder.create(name, weights), Checkpoint.open(model), llm, DecoderOptions.of(dtype));
        }
        return Files.size(data);
    }
}
