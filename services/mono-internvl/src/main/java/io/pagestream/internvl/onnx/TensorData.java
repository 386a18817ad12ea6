package io.pagestream.internvl.onnx;

import java.util.function.Supplier;

/** The bytes of one tensor, produced on demand so that the caller decides when (and whether) they are materialised. */
public interface TensorData {
    long byteLength();

    /** Appends exactly {@link #byteLength()} bytes. */
    void write(ByteSink sink);

    /**
     * Data of a known length whose source is made only when written: a weight file that already holds the tensor
     * never calls {@code source}, sparing work such as quantisation.
     */
    static TensorData deferred(long byteLength, Supplier<TensorData> source) {
        return new TensorData() {
            @Override
            public long byteLength() {
                return byteLength;
            }

            @Override
            public void write(ByteSink sink) {
                TensorData data = source.get();
                if (data.byteLength() != byteLength) {
                    throw new IllegalStateException(
                            "deferred tensor of " + byteLength + " bytes produced " + data.byteLength());
                }
                data.write(sink);
            }
        };
    }
}
