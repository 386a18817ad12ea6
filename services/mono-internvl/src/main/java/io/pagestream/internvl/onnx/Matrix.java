package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.TensorInfo;
import java.nio.ByteBuffer;

/**
 * A read-only row-major matrix of floats, read a row segment at a time. Views over the memory-mapped checkpoint let
 * weights be reordered, transposed and re-encoded on their way to the ONNX data file without a heap copy.
 */
public interface Matrix {
    int rows();

    int cols();

    /** Copies {@code len} values of row {@code row} from column {@code col} on into {@code dst} at {@code off}. */
    void read(int row, int col, float[] dst, int off, int len);

    /** A checkpoint tensor of any rank, seen as [first dim, product of the others] (a vector is one row). */
    static Matrix of(Checkpoint checkpoint, String name) {
        TensorInfo info = checkpoint.info(name);
        int rows = info.shape().size() < 2 ? 1 : info.shape().get(0);
        int cols = Math.toIntExact(info.elementCount() / rows);
        return new Mapped(checkpoint.bytes(name), info.dtype(), rows, cols);
    }

    /** A matrix over a heap array, for small tensors computed at conversion time. */
    static Matrix of(float[] values, int rows, int cols) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(values.length + " values for a " + rows + "x" + cols + " matrix");
        }
        return new Heap(values, rows, cols);
    }

    /** This matrix with row {@code i} of the result taken from row {@code sourceRows[i]}. */
    default Matrix permuteRows(int[] sourceRows) {
        if (sourceRows.length != rows()) {
            throw new IllegalArgumentException(sourceRows.length + " row indices for " + rows() + " rows");
        }
        return new Permuted(this, sourceRows);
    }

    /** Decodes elements straight from the checkpoint's mapping. */
    record Mapped(ByteBuffer bytes, DType dtype, int rows, int cols) implements Matrix {
        @Override
        public void read(int row, int col, float[] dst, int off, int len) {
            int base = row * cols + col;
            for (int i = 0; i < len; i++) {
                dst[off + i] = dtype.get(bytes, base + i);
            }
        }
    }

    record Heap(float[] values, int rows, int cols) implements Matrix {
        @Override
        public void read(int row, int col, float[] dst, int off, int len) {
            System.arraycopy(values, row * cols + col, dst, off, len);
        }
    }

    record Permuted(Matrix source, int[] sourceRows) implements Matrix {
        @Override
        public int rows() {
            return source.rows();
        }

        @Override
        public int cols() {
            return source.cols();
        }

        @Override
        public void read(int row, int col, float[] dst, int off, int len) {
            source.read(sourceRows[row], col, dst, off, len);
        }
    }
}
