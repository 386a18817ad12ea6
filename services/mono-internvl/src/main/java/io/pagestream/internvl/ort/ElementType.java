package io.pagestream.internvl.ort;

/** Tensor element types the engine binds, with ORT's {@code ONNXTensorElementDataType} codes. */
public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    FLOAT16(10, 2),
    BFLOAT16(16, 2);

    final int code;
    private final int bytes;

    ElementType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
