package io.pagestream.internvl.bench;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.engine.NativeMemory;
import io.pagestream.internvl.onnx.GraphBuilder;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * What this machine can do at best, measured in the same run as the engine so that ratios compare like with like:
 * a plain ORT float32 MatMul (the compute bound of a prefill), an ORT ReduceSum over a buffer far larger than any
 * cache (the read bandwidth a decode step, which streams every weight once, is bound by), and a plain Java copy.
 * Each figure is the best of several runs, the least disturbed by other work on the machine. The large buffers are
 * released on return (where {@link NativeMemory} can), so that they do not count in the models' peak memory.
 *
 * @param matmulGflops  ORT MatMul [m, k] × [k, n], float32, GFLOP/s
 * @param readGbs       ORT ReduceSum of the rows of a {@code bandwidthBytes} matrix, GB/s read
 * @param copyGbs       Java direct-buffer copy, GB/s (read + write)
 */
public record MachineBounds(
        int threads, int m, int k, int n, double matmulGflops, long bandwidthBytes, double readGbs, double copyGbs) {

    private static final int RUNS = 5;

    public static MachineBounds measure(int threads) throws OrtException {
        int m = 1024;
        int k = 2048;
        int n = 2048;
        long bytes = 512L << 20;
        try (NativeMemory memory = NativeMemory.open()) {
            return new MachineBounds(
                    threads,
                    m,
                    k,
                    n,
                    matmul(memory, threads, m, k, n),
                    bytes,
                    reduceSum(memory, threads, bytes),
                    javaCopy(memory, bytes));
        }
    }

    private static double matmul(NativeMemory memory, int threads, int m, int k, int n) throws OrtException {
        GraphBuilder g = GraphBuilder.create("matmul", null);
        String a = g.input("a", DataType.FLOAT, m, k);
        String b = g.input("b", DataType.FLOAT, k, n);
        g.op("MatMul", a, b).exact("y");
        g.output("y", DataType.FLOAT, m, n);
        FloatBuffer left = memory.allocate(4L * m * k).asFloatBuffer();
        FloatBuffer right = memory.allocate(4L * k * n).asFloatBuffer();
        for (int i = 0; i < left.capacity(); i++) {
            left.put(i, (i % 7) * 0.25f);
        }
        for (int i = 0; i < right.capacity(); i++) {
            right.put(i, (i % 5) * 0.5f);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = session(env, g, threads);
                OnnxTensor x = OnnxTensor.createTensor(env, left, new long[] {m, k});
                OnnxTensor y = OnnxTensor.createTensor(env, right, new long[] {k, n})) {
            double best = Double.MAX_VALUE;
            for (int run = 0; run <= RUNS; run++) {
                long start = System.nanoTime();
                session.run(Map.of("a", x, "b", y)).close();
                long elapsed = System.nanoTime() - start;
                best = run == 0 ? best : Math.min(best, elapsed);
            }
            return 2.0 * m * k * n / best;
        }
    }

    /**
     * Sums each row of a [rows, 64 K] matrix: ORT splits the rows over its threads, as a MatMul splits a weight,
     * where a reduction of everything to one scalar would run on one thread and understate the machine.
     */
    private static double reduceSum(NativeMemory memory, int threads, long bytes) throws OrtException {
        long columns = 1 << 16;
        long rows = bytes / 4 / columns;
        GraphBuilder g = GraphBuilder.create("read", null);
        String x = g.input("x", DataType.FLOAT, rows, columns);
        g.op("ReduceSum", x, g.ints("axes", 1)).attr("keepdims", 0L).exact("sums");
        g.output("sums", DataType.FLOAT, rows);
        ByteBuffer buffer = memory.allocate(bytes);
        for (long i = 0; i < bytes; i += 4096) {
            buffer.put((int) i, (byte) 1);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = session(env, g, threads);
                OnnxTensor input = OnnxTensor.createTensor(env, buffer.asFloatBuffer(), new long[] {rows, columns})) {
            double best = Double.MAX_VALUE;
            for (int run = 0; run <= RUNS; run++) {
                long start = System.nanoTime();
                session.run(Map.of("x", input)).close();
                long elapsed = System.nanoTime() - start;
                best = run == 0 ? best : Math.min(best, elapsed);
            }
            return bytes / best;
        }
    }

    private static double javaCopy(NativeMemory memory, long bytes) {
        int half = (int) Math.min(bytes / 2, Integer.MAX_VALUE - 8);
        ByteBuffer from = memory.allocate(half);
        ByteBuffer to = memory.allocate(half);
        double best = Double.MAX_VALUE;
        for (int run = 0; run <= RUNS; run++) {
            long start = System.nanoTime();
            to.put(0, from, 0, half);
            long elapsed = System.nanoTime() - start;
            best = run == 0 ? best : Math.min(best, elapsed);
        }
        return 2.0 * half / best;
    }

    private static OrtSession session(OrtEnvironment env, GraphBuilder g, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return env.createSession(g.model().toByteArray(), options);
        }
    }
}
