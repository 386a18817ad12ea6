package io.pagestream.internvl.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The converted graphs driven the way an engine would, for tests: embedding (with image rows), decoder or decode-step
 * graph with a growing KV cache (present fed back as past, as raw bytes so that any cache type works).
 */
final class OnnxPipeline implements AutoCloseable {
    private final OrtRunner embedding;
    private final OrtRunner vision;
    private final OrtRunner decoder;
    private final Path decodeModel;
    private OrtRunner decode;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int hidden;
    private final OnnxJavaType kvType;

    /**
     * The cache of a batch after some steps: per layer key and value, [B, KV, capacity, D], of which row b holds
     * {@code rowLengths[b]} positions.
     */
    record Cache(int[] rowLengths, int capacity, ByteBuffer[] keys, ByteBuffer[] values) {}

    record Step(float[] logits, Cache cache) {}

    OnnxPipeline(Path dir, int layers, int kvHeads, int headDim, int hidden) throws OrtException {
        this(dir, layers, kvHeads, headDim, hidden, OnnxJavaType.FLOAT);
    }

    OnnxPipeline(Path dir, int layers, int kvHeads, int headDim, int hidden, OnnxJavaType kvType) throws OrtException {
        this(
                dir,
                dir.resolve("decoder/model.onnx"),
                OrtSession.SessionOptions.OptLevel.ALL_OPT,
                layers,
                kvHeads,
                headDim,
                hidden,
                kvType);
    }

    /**
     * A pipeline whose decoder is {@code decoderModel} (a rewritten graph, saved next to the conversion's weights),
     * run at {@code decoderLevel}; the decode-step graph is opened on first use.
     */
    OnnxPipeline(
            Path dir,
            Path decoderModel,
            OrtSession.SessionOptions.OptLevel decoderLevel,
            int layers,
            int kvHeads,
            int headDim,
            int hidden,
            OnnxJavaType kvType)
            throws OrtException {
        this.kvType = kvType;
        embedding = new OrtRunner(dir.resolve("embedding/model.onnx"));
        vision = new OrtRunner(dir.resolve("vision/model.onnx"));
        decoder = new OrtRunner(decoderModel, decoderLevel);
        decodeModel = dir.resolve("decoder/decode.onnx");
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.hidden = hidden;
    }

    float[] vision(float[] pixels, int tiles, int tile) throws OrtException {
        return vision.run(Map.of(VisionGraph.PIXEL_VALUES, OrtRunner.floats(pixels, tiles, 3, tile, tile)))
                .get(VisionGraph.PROJECTOR_ROWS);
    }

    Cache emptyCache(int batch) {
        ByteBuffer[] empty = new ByteBuffer[layers];
        java.util.Arrays.fill(empty, ByteBuffer.allocateDirect(0));
        return new Cache(new int[batch], 0, empty, empty);
    }

    /**
     * One decoder call over right-padded rows {@code ids[b]} (each row's real length {@code lengths[b]}) on top of
     * {@code cache}; each row's length grows by its real length.
     */
    Step step(long[][] ids, int[] lengths, float[] imageRows, Cache cache) throws OrtException {
        Embedded embedded = embed(ids, imageRows);
        return run(decoder, embedded.embeds(), embedded.mask(), ids[0].length, lengths, cache);
    }

    /**
     * One step of the decode-step graph: token {@code ids[b]} appended to row b of {@code cache}. The ids are embedded
     * as {@link #step} would (image rows included), but the graph has no visual mask.
     */
    Step decodeStep(long[] ids, float[] imageRows, Cache cache) throws OrtException {
        long[][] rows = new long[ids.length][];
        int[] lengths = new int[ids.length];
        for (int b = 0; b < ids.length; b++) {
            rows[b] = new long[] {ids[b]};
            lengths[b] = 1;
        }
        if (decode == null) {
            decode = new OrtRunner(decodeModel);
        }
        return run(decode, embed(rows, imageRows).embeds(), null, 1, lengths, cache);
    }

    private record Embedded(float[] embeds, boolean[][] mask) {}

    private Embedded embed(long[][] ids, float[] imageRows) throws OrtException {
        int batch = ids.length;
        int s = ids[0].length;
        long[] flat = new long[batch * s];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flat, b * s, s);
        }
        Map<String, OnnxTensor> embedInputs = new HashMap<>();
        embedInputs.put(
                EmbeddingGraph.INPUT_IDS,
                OnnxTensor.createTensor(OrtRunner.ENV, LongBuffer.wrap(flat), new long[] {batch, s}));
        embedInputs.put(EmbeddingGraph.IMAGE_ROWS, OrtRunner.floats(imageRows, imageRows.length / hidden, hidden));
        float[] embeds;
        boolean[][] mask;
        try (OrtSession.Result result = embedding.session().run(embedInputs)) {
            embeds =
                    floats((OnnxTensor) result.get(EmbeddingGraph.INPUTS_EMBEDS).orElseThrow());
            mask = (boolean[][])
                    result.get(EmbeddingGraph.VISUAL_MASK).orElseThrow().getValue();
        } finally {
            embedInputs.values().forEach(OnnxTensor::close);
        }
        return new Embedded(embeds, mask);
    }

    /** Runs {@code graph} on embeddings [B, s, hidden]; a null mask leaves the visual_mask input out. */
    private Step run(OrtRunner graph, float[] embeds, boolean[][] mask, int s, int[] lengths, Cache cache)
            throws OrtException {
        int batch = lengths.length;
        int[] seqlens = new int[batch];
        int[] rowLengths = new int[batch];
        int total = 0;
        for (int b = 0; b < batch; b++) {
            rowLengths[b] = cache.rowLengths()[b] + lengths[b];
            seqlens[b] = rowLengths[b] - 1;
            total = Math.max(total, rowLengths[b]);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put(DecoderGraph.INPUTS_EMBEDS, OrtRunner.floats(embeds, batch, s, hidden));
        if (mask != null) {
            inputs.put(DecoderGraph.VISUAL_MASK, OnnxTensor.createTensor(OrtRunner.ENV, mask));
        }
        inputs.put(
                DecoderGraph.SEQLENS_K,
                OnnxTensor.createTensor(OrtRunner.ENV, IntBuffer.wrap(seqlens), new long[] {batch}));
        inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, OnnxTensor.createTensor(OrtRunner.ENV, total));
        for (int n = 0; n < layers; n++) {
            long[] shape = {batch, kvHeads, cache.capacity(), headDim};
            inputs.put(DecoderGraph.pastKey(n), OnnxTensor.createTensor(OrtRunner.ENV, cache.keys()[n], shape, kvType));
            inputs.put(
                    DecoderGraph.pastValue(n),
                    OnnxTensor.createTensor(OrtRunner.ENV, cache.values()[n], shape, kvType));
        }
        try (OrtSession.Result result = graph.session().run(inputs)) {
            ByteBuffer[] keys = new ByteBuffer[layers];
            ByteBuffer[] values = new ByteBuffer[layers];
            for (int n = 0; n < layers; n++) {
                keys[n] = bytes(
                        (OnnxTensor) result.get(DecoderGraph.presentKey(n)).orElseThrow());
                values[n] = bytes(
                        (OnnxTensor) result.get(DecoderGraph.presentValue(n)).orElseThrow());
            }
            float[] logits = floats((OnnxTensor) result.get(DecoderGraph.LOGITS).orElseThrow());
            long[] presentShape = ((OnnxTensor)
                            result.get(DecoderGraph.presentKey(0)).orElseThrow())
                    .getInfo()
                    .getShape();
            int capacity = (int) presentShape[2];
            return new Step(logits, new Cache(rowLengths, capacity, keys, values));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static ByteBuffer bytes(OnnxTensor tensor) {
        ByteBuffer source = tensor.getByteBuffer();
        ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        return copy.put(source).flip();
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    @Override
    public void close() throws OrtException {
        embedding.close();
        vision.close();
        decoder.close();
        if (decode != null) {
            decode.close();
        }
    }
}
