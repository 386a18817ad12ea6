package io.pagestream.internvl.onnx;

/** The bytes of one tensor, produced on demand so that the caller decides when (and whether) they are materialised. */
public interface TensorData {
    long byteLength();

    /** Appends exactly {@link #byteLength()} bytes. */
    void write(ByteSink sink);
}
