package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code y = x · Wᵀ} for a PyTorch Linear weight W [out, in]: a MatMul against the transposed weight stored in the
 * model's precision, or, for {@link TargetDtype#INT4}, a {@code MatMulNBits} against W quantised as it is (that operator
 * takes the weight in [out, in] order). Weights are added once and may be applied in several places, such as both
 * branches of an {@code If}.
 */
public final class Linear {
    private final TargetDtype dtype;
    private final Int4Options int4;

    /** The initializers of one weight and what the op applying it needs to know. */
    public record Weight(List<String> initializers, int in, int out, boolean quantised) {
        public Weight {
            initializers = List.copyOf(initializers);
        }
    }

    public Linear(TargetDtype dtype, Int4Options int4) {
        this.dtype = dtype;
        this.int4 = int4;
    }

    /** Adds the weight under {@code name} (plus suffixes for the parts of a quantised one). */
    public Weight weight(GraphBuilder g, String name, Matrix w) {
        return dtype.quantised() ? quantised(g, name, w) : dense(g, name, w, dtype.precision());
    }

    /** A weight in the given precision whatever the dtype: for layers that are never quantised. */
    public static Weight dense(GraphBuilder g, String name, Matrix w, Precision precision) {
        String t = g.weight(
                name,
                precision.onnxType(),
                List.of((long) w.cols(), (long) w.rows()),
                MatrixData.transposed(w, precision));
        return new Weight(List.of(t), w.cols(), w.rows(), false);
    }

    public String apply(GraphBuilder g, String x, Weight w) {
        if (!w.quantised()) {
            return g.op("MatMul", x, w.initializers().get(0)).out();
        }
        List<String> inputs = new ArrayList<>(List.of(x));
        inputs.addAll(w.initializers());
        return g.op("MatMulNBits", inputs.toArray(String[]::new))
                .domain(GraphBuilder.MS_DOMAIN)
                .attr("K", (long) w.in())
                .attr("N", (long) w.out())
                .attr("bits", (long) Int4Quantizer.BITS)
                .attr("block_size", (long) Int4Quantizer.BLOCK)
                .attr("accuracy_level", (long) int4.accuracyLevel())
                .out();
    }

    /**
     * The three tensors of one quantised weight. Their sizes follow from the shape alone; the quantisation runs once,
     * when the first of them is written, and not at all when the weight file already holds them.
     */
    private Weight quantised(GraphBuilder g, String name, Matrix w) {
        long n = w.rows();
        long blocks = Int4Quantizer.blocks(w.cols());
        Supplier<Int4Quantizer.Quantized> q = once(() -> Int4Quantizer.quantize(w, int4.symmetric()));
        List<String> names = new ArrayList<>();
        names.add(g.weight(
                name + ".q4",
                DataType.UINT8,
                List.of(n, blocks, (long) Int4Quantizer.BLOCK / 2),
                TensorData.deferred(
                        n * blocks * Int4Quantizer.BLOCK / 2, () -> q.get().packed())));
        Precision precision = dtype.precision();
        names.add(g.weight(
                name + ".scales",
                precision.onnxType(),
                List.of(n, blocks),
                TensorData.deferred(
                        n * blocks * precision.byteSize(),
                        () -> MatrixData.rowMajor(
                                Matrix.of(q.get().scales(), q.get().n(), q.get().blocks()), precision))));
        if (!int4.symmetric()) {
            long zeroBytes = (blocks + 1) / 2;
            names.add(g.weight(
                    name + ".zero_points",
                    DataType.UINT8,
                    List.of(n, zeroBytes),
                    TensorData.deferred(n * zeroBytes, () -> bytes(q.get().zeroPoints()))));
        }
        return new Weight(names, w.cols(), w.rows(), true);
    }

    private static <T> Supplier<T> once(Supplier<T> source) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = source.get();
                }
                return value;
            }
        };
    }

    private static TensorData bytes(byte[] values) {
        return new TensorData() {
            @Override
            public long byteLength() {
                return values.length;
            }

            @Override
            public void write(ByteSink sink) {
                for (byte value : values) {
                    sink.put(value);
                }
            }
        };
    }
}
