package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GroupQueryAttention as the decoder uses it (packed [Q | K | V], rotary from our cos/sin tables, right-padded ragged
 * batch, then a decode step on the returned cache) against attention written out by hand from spec 3.6.
 */
class OnnxGroupQueryAttentionTest {
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int D = 16;
    private static final int WIDTH = (HEADS + 2 * KV_HEADS) * D;
    private static final double THETA = 10000;

    @TempDir
    Path dir;

    @Test
    void raggedPrefillThenDecodeMatchHandWrittenAttention() throws Exception {
        int maxPositions = 32;
        Path model = dir.resolve("model.onnx");
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create("gqa", weights);
            String qkv = g.input("qkv", DataType.FLOAT, "b", "s", WIDTH);
            String pastK = g.input("past_key", DataType.FLOAT, "b", KV_HEADS, "p", D);
            String pastV = g.input("past_value", DataType.FLOAT, "b", KV_HEADS, "p", D);
            String seqlens = g.input("seqlens_k", DataType.INT32, "b");
            String total = g.input("total_sequence_length", DataType.INT32);
            RopeCache rope = RopeCache.of(THETA, D, maxPositions);
            String cos = g.weight(
                    "cos",
                    DataType.FLOAT,
                    List.of((long) maxPositions, (long) D / 2),
                    MatrixData.rowMajor(Matrix.of(rope.cos(), maxPositions, D / 2), Precision.FP32));
            String sin = g.weight(
                    "sin",
                    DataType.FLOAT,
                    List.of((long) maxPositions, (long) D / 2),
                    MatrixData.rowMajor(Matrix.of(rope.sin(), maxPositions, D / 2), Precision.FP32));
            g.op("GroupQueryAttention", qkv, "", "", pastK, pastV, seqlens, total, cos, sin)
                    .domain(GraphBuilder.MS_DOMAIN)
                    .attr("num_heads", (long) HEADS)
                    .attr("kv_num_heads", (long) KV_HEADS)
                    .attr("do_rotary", 1L)
                    .exact("out", "present_key", "present_value");
            g.output("out", DataType.FLOAT);
            g.output("present_key", DataType.FLOAT);
            g.output("present_value", DataType.FLOAT);
            g.save(model);
        }
        Random random = new Random(3);
        int[] lengths = {5, 3};
        int s = 5;
        float[] prompt = gaussian(random, 2 * s * WIDTH);
        float[] step = gaussian(random, 2 * WIDTH);
        try (OrtRunner ort = new OrtRunner(model)) {
            OrtSession session = ort.session();
            Map<String, OnnxTensor> inputs = Map.of(
                    "qkv", OrtRunner.floats(prompt, 2, s, WIDTH),
                    "past_key", OrtRunner.floats(new float[0], 2, KV_HEADS, 0, D),
                    "past_value", OrtRunner.floats(new float[0], 2, KV_HEADS, 0, D),
                    "seqlens_k", ints(lengths[0] - 1, lengths[1] - 1),
                    "total_sequence_length", OnnxTensor.createTensor(OrtRunner.ENV, s));
            float[] pastKey;
            float[] pastValue;
            try (OrtSession.Result result = session.run(inputs)) {
                float[] out = floats(result.get(0));
                pastKey = floats(result.get(1));
                pastValue = floats(result.get(2));
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < lengths[b]; t++) {
                        float[] expected = attend(prompt, b, s, lengths[b], t);
                        assertClose(expected, out, (b * s + t) * HEADS * D, "prefill row " + b + " pos " + t);
                    }
                }
            }
            inputs.values().forEach(OnnxTensor::close);

            float[][] histories = new float[2][];
            for (int b = 0; b < 2; b++) {
                int length = lengths[b];
                float[] history = new float[(length + 1) * WIDTH];
                System.arraycopy(prompt, b * s * WIDTH, history, 0, length * WIDTH);
                System.arraycopy(step, b * WIDTH, history, length * WIDTH, WIDTH);
                histories[b] = history;
            }
            Map<String, OnnxTensor> decode = Map.of(
                    "qkv", OrtRunner.floats(step, 2, 1, WIDTH),
                    "past_key", OrtRunner.floats(pastKey, 2, KV_HEADS, s, D),
                    "past_value", OrtRunner.floats(pastValue, 2, KV_HEADS, s, D),
                    "seqlens_k", ints(lengths[0], lengths[1]),
                    "total_sequence_length", OnnxTensor.createTensor(OrtRunner.ENV, s + 1));
            try (OrtSession.Result result = session.run(decode)) {
                float[] out = floats(result.get(0));
                for (int b = 0; b < 2; b++) {
                    float[] expected = attend(histories[b], 0, lengths[b] + 1, lengths[b] + 1, lengths[b]);
                    assertClose(expected, out, b * HEADS * D, "decode row " + b);
                }
            }
            decode.values().forEach(OnnxTensor::close);
        }
    }

    /** Causal attention output of position {@code t} in row {@code b} of packed (not yet rotated) qkv rows. */
    private static float[] attend(float[] qkv, int b, int rowStride, int length, int t) {
        float[] out = new float[HEADS * D];
        for (int h = 0; h < HEADS; h++) {
            int kv = h / (HEADS / KV_HEADS);
            float[] q = rotate(slice(qkv, (b * rowStride + t) * WIDTH + h * D), t);
            double[] scores = new double[t + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= t; j++) {
                float[] k = rotate(slice(qkv, (b * rowStride + j) * WIDTH + (HEADS + kv) * D), j);
                double dot = 0;
                for (int e = 0; e < D; e++) {
                    dot += q[e] * k[e];
                }
                scores[j] = dot / Math.sqrt(D);
                max = Math.max(max, scores[j]);
            }
            double sum = 0;
            for (int j = 0; j <= t; j++) {
                scores[j] = Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = 0; j <= t; j++) {
                float[] v = slice(qkv, (b * rowStride + j) * WIDTH + (HEADS + KV_HEADS + kv) * D);
                for (int e = 0; e < D; e++) {
                    out[h * D + e] += (float) (scores[j] / sum * v[e]);
                }
            }
        }
        return out;
    }

    /** x·cos + rotate_half(x)·sin with rotate_half(x) = [−x[D/2:], x[:D/2]]. */
    private static float[] rotate(float[] x, int position) {
        float[] out = new float[D];
        for (int i = 0; i < D; i++) {
            int f = i % (D / 2);
            double angle = position * Math.pow(THETA, -2.0 * f / D);
            double rotated = i < D / 2 ? -x[i + D / 2] : x[i - D / 2];
            out[i] = (float) (x[i] * Math.cos(angle) + rotated * Math.sin(angle));
        }
        return out;
    }

    private static float[] slice(float[] values, int from) {
        float[] out = new float[D];
        System.arraycopy(values, from, out, 0, D);
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, int offset, String where) {
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(expected[i] - actual[offset + i]);
            assertTrue(
                    diff < 1e-4, where + " element " + i + ": expected " + expected[i] + ", got " + actual[offset + i]);
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static OnnxTensor ints(int... values) throws Exception {
        return OnnxTensor.createTensor(OrtRunner.ENV, IntBuffer.wrap(values), new long[] {values.length});
    }

    private static float[] floats(ai.onnxruntime.OnnxValue value) {
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
