package io.pagestream.internvl.onnx;

import java.util.function.Consumer;

/** Encodes a {@link Matrix} as tensor bytes, as it is or transposed, streaming through bounded buffers. */
public final class MatrixData {
    /** Floats held at once while transposing: 32 MiB, a few dozen passes over the largest (LM head) weight. */
    private static final int TILE_FLOATS = 8 << 20;

    private MatrixData() {}

    public static TensorData rowMajor(Matrix matrix, Precision precision) {
        return new Encoded(matrix, precision, sink -> {
            float[] row = new float[matrix.cols()];
            for (int r = 0; r < matrix.rows(); r++) {
                matrix.read(r, 0, row, 0, row.length);
                for (float value : row) {
                    precision.put(sink, value);
                }
            }
        });
    }

    /**
     * The transpose, row-major: a PyTorch Linear weight [out, in] becomes the [in, out] right operand of MatMul.
     * Works in bands of source columns so that the source is read row-wise (sequential in the mapping).
     */
    public static TensorData transposed(Matrix matrix, Precision precision) {
        return new Encoded(matrix, precision, sink -> {
            int rows = matrix.rows();
            int band = Math.max(1, Math.min(matrix.cols(), TILE_FLOATS / rows));
            float[] tile = new float[band * rows];
            float[] segment = new float[band];
            for (int c0 = 0; c0 < matrix.cols(); c0 += band) {
                int width = Math.min(band, matrix.cols() - c0);
                for (int r = 0; r < rows; r++) {
                    matrix.read(r, c0, segment, 0, width);
                    for (int j = 0; j < width; j++) {
                        tile[j * rows + r] = segment[j];
                    }
                }
                for (int i = 0; i < width * rows; i++) {
                    precision.put(sink, tile[i]);
                }
            }
        });
    }

    /** Every element of the matrix once, in the given precision, in the order the writer chooses. */
    private record Encoded(Matrix matrix, Precision precision, Consumer<ByteSink> writer) implements TensorData {
        @Override
        public long byteLength() {
            return (long) matrix.rows() * matrix.cols() * precision.byteSize();
        }

        @Override
        public void write(ByteSink sink) {
            writer.accept(sink);
        }
    }
}
