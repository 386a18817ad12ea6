package io.pagestream.internvl.checkpoint;

import java.util.List;

/** A tensor to be written: declared up front because the safetensors header precedes all data. */
public record TensorSpec(String name, DType dtype, List<Integer> shape) {
    public TensorSpec {
        shape = List.copyOf(shape);
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + shape);
            }
        }
    }

    public long elementCount() {
        return TensorInfo.elementCount(shape);
    }

    public long byteLength() {
        return elementCount() * dtype.byteSize();
    }
}
