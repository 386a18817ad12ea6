package io.pagestream.internvl.onnx;

/**
 * Block-wise 4-bit quantisation of a Linear weight [N = out, K = in] in the layout of
 * {@code com.microsoft.MatMulNBits}: blocks of {@link #BLOCK} consecutive input features per output row, two values
 * a byte (low nibble first). Symmetric blocks use the operator's default zero point 8 and a scale of absmax / 7, so that ±absmax is exact and
 * the code −8 is never used; asymmetric blocks map [min(0, lo), max(0, hi)] onto 0..15 with a per-block zero point.
 * K is padded with zeros to whole blocks.
 *
 * <p>Scales and zero points are computed in a first pass over the source and kept (K/32 floats a row); the packed
 * weights are computed again from the source when written, so only one row is ever unpacked in memory.
 */
public final class Int4Quantizer {
    public static final int BLOCK = 32;
    public static final int BITS = 4;
    private static final int SYMMETRIC_ZERO = 8;

    private Int4Quantizer() {}

    /** Packed weights, scales [N, blocks] and, when asymmetric, packed zero points [N, ceil(blocks / 2)]. */
    public record Quantized(int n, int k, int blocks, TensorData packed, float[] scales, byte[] zeroPoints) {
        public boolean symmetric() {
            return zeroPoints == null;
        }
    }

    /** Blocks per row for {@code k} input features. */
    public static int blocks(int k) {
        return (k + BLOCK - 1) / BLOCK;
    }

    public static Quantized quantize(Matrix weight, boolean symmetric) {
        int n = weight.rows();
        int k = weight.cols();
        int blocks = blocks(k);
        float[] scales = new float[n * blocks];
        int[] zeros = new int[n * blocks];
        float[] row = new float[blocks * BLOCK];
        for (int r = 0; r < n; r++) {
            weight.read(r, 0, row, 0, k);
            for (int b = 0; b < blocks; b++) {
                blockParameters(row, b * BLOCK, symmetric, scales, zeros, r * blocks + b);
            }
        }
        TensorData packed = packed(weight, blocks, scales, zeros);
        return new Quantized(n, k, blocks, packed, scales, symmetric ? null : packNibbles(zeros, n, blocks));
    }

    private static void blockParameters(
            float[] row, int start, boolean symmetric, float[] scales, int[] zeros, int index) {
        float lo = 0;
        float hi = 0;
        for (int i = start; i < start + BLOCK; i++) {
            lo = Math.min(lo, row[i]);
            hi = Math.max(hi, row[i]);
        }
        if (symmetric) {
            float absmax = Math.max(-lo, hi);
            scales[index] = absmax == 0 ? 1 : absmax / 7;
            zeros[index] = SYMMETRIC_ZERO;
        } else {
            float scale = (hi - lo) / 15;
            scales[index] = scale == 0 ? 1 : scale;
            zeros[index] = scale == 0 ? 0 : Math.clamp(Math.round(-lo / scale), 0, 15);
        }
    }

    private static TensorData packed(Matrix weight, int blocks, float[] scales, int[] zeros) {
        int n = weight.rows();
        int k = weight.cols();
        return new TensorData() {
            @Override
            public long byteLength() {
                return (long) n * blocks * BLOCK / 2;
            }

            @Override
            public void write(ByteSink sink) {
                float[] row = new float[blocks * BLOCK];
                for (int r = 0; r < n; r++) {
                    weight.read(r, 0, row, 0, k);
                    for (int b = 0; b < blocks; b++) {
                        int index = r * blocks + b;
                        for (int i = 0; i < BLOCK; i += 2) {
                            int low = code(row[b * BLOCK + i], scales[index], zeros[index]);
                            int high = code(row[b * BLOCK + i + 1], scales[index], zeros[index]);
                            sink.put((byte) (low | high << 4));
                        }
                    }
                }
            }
        };
    }

    private static int code(float value, float scale, int zero) {
        return Math.clamp(Math.round(value / scale) + zero, 0, 15);
    }

    private static byte[] packNibbles(int[] values, int rows, int perRow) {
        int bytesPerRow = (perRow + 1) / 2;
        byte[] packed = new byte[rows * bytesPerRow];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < perRow; i++) {
                packed[r * bytesPerRow + i / 2] |= (byte) (values[r * perRow + i] << (i % 2 == 0 ? 0 : 4));
            }
        }
        return packed;
    }
}
