package io.pagestream.internvl.checkpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * Where one tensor lives.
 *
 * @param shape  dimensions, outermost first; empty for a scalar
 * @param file   the safetensors file holding it
 * @param offset absolute byte position of its first element in {@code file}
 * @param length its size in bytes
 */
public record TensorInfo(String name, DType dtype, List<Integer> shape, Path file, long offset, long length) {
    public TensorInfo {
        shape = List.copyOf(shape);
    }

    public long elementCount() {
        return elementCount(shape);
    }

    static long elementCount(List<Integer> shape) {
        long count = 1;
        for (int dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}
