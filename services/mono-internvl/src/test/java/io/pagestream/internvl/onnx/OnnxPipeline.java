package io.pagestream.internvl.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The three converted graphs driven the way an engine would, for tests: embedding (with image rows), decoder with
 * a growing KV cache (present fed back as past). Only float32 KV caches.
 */
final class OnnxPipeline implements AutoCloseable {
    private final OrtRunner embedding;
    private final OrtRunner vision;
    private final OrtRunner decoder;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int hidden;

    /**
     * The cache of a batch after some steps: per layer key and value, [B, KV, capacity, D], of which row b holds
     * {@code rowLengths[b]} positions.
     */
    record Cache(int[] rowLengths, int capacity, float[][] keys, float[][] values) {
    }

    record Step(float[] logits, Cache cache) {
    }

    OnnxPipeline(Path dir, int layers, int kvHeads, int headDim, int hidden) throws OrtException {
        embedding = new OrtRunner(dir.resolve("embedding/model.onnx"));
        vision = new OrtRunner(dir.resolve("vision/model.onnx"));
        decoder = new OrtRunner(dir.resolve("decoder/model.onnx"));
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
        return new Cache(new int[batch], 0, new float[layers][0], new float[layers][0]);
    }

    /**
     * One decoder call over right-padded rows {@code ids[b]} (each row's real length {@code lengths[b]}) on top of
     * {@code cache}; each row's length grows by its real length.
     */
    Step step(long[][] ids, int[] lengths, float[] imageRows, Cache cache) throws OrtException {
        int batch = ids.length;
        int s = ids[0].length;
        long[] flat = new long[batch * s];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flat, b * s, s);
        }
        Map<String, OnnxTensor> embedInputs = new HashMap<>();
        embedInputs.put(EmbeddingGraph.INPUT_IDS, OnnxTensor.createTensor(OrtRunner.ENV, LongBuffer.wrap(flat),
                new long[] {batch, s}));
        embedInputs.put(EmbeddingGraph.IMAGE_ROWS, OrtRunner.floats(imageRows, imageRows.length / hidden, hidden));
        float[] embeds;
        boolean[][] mask;
        try (OrtSession.Result result = embedding.session().run(embedInputs)) {
            embeds = floats((OnnxTensor) result.get(EmbeddingGraph.INPUTS_EMBEDS).orElseThrow());
            mask = (boolean[][]) result.get(EmbeddingGraph.VISUAL_MASK).orElseThrow().getValue();
        } finally {
            embedInputs.values().forEach(OnnxTensor::close);
        }
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
        inputs.put(DecoderGraph.VISUAL_MASK, OnnxTensor.createTensor(OrtRunner.ENV, mask));
        inputs.put(DecoderGraph.SEQLENS_K, OnnxTensor.createTensor(OrtRunner.ENV, IntBuffer.wrap(seqlens),
                new long[] {batch}));
        inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, OnnxTensor.createTensor(OrtRunner.ENV, total));
        for (int n = 0; n < layers; n++) {
            long[] shape = {batch, kvHeads, cache.capacity(), headDim};
            inputs.put(DecoderGraph.pastKey(n), OrtRunner.floats(cache.keys()[n], shape));
            inputs.put(DecoderGraph.pastValue(n), OrtRunner.floats(cache.values()[n], shape));
        }
        try (OrtSession.Result result = decoder.session().run(inputs)) {
            float[][] keys = new float[layers][];
            float[][] values = new float[layers][];
            for (int n = 0; n < layers; n++) {
                keys[n] = floats((OnnxTensor) result.get(DecoderGraph.presentKey(n)).orElseThrow());
                values[n] = floats((OnnxTensor) result.get(DecoderGraph.presentValue(n)).orElseThrow());
            }
            float[] logits = floats((OnnxTensor) result.get(DecoderGraph.LOGITS).orElseThrow());
            int capacity = keys[0].length / (batch * kvHeads * headDim);
            return new Step(logits, new Cache(rowLengths, capacity, keys, values));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
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
    }
}
