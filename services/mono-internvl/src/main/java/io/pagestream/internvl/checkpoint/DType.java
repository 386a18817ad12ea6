package io.pagestream.internvl.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** The safetensors element types this engine reads and writes; the constant names are the format's dtype strings. */
public enum DType {
    BF16(2),
    F16(2),
    F32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Looks up a safetensors dtype string; {@code where} names the file and tensor for the error. */
    public static DType parse(String name, String where) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new CheckpointException(
                where + " has dtype " + name + "; only " + Arrays.toString(values()) + " are supported");
    }

    /** Reads element {@code index} of a little-endian buffer. */
    public float get(ByteBuffer buffer, int index) {
        return switch (this) {
            case BF16 -> Bf16.toFloat(buffer.getShort(index * 2));
            case F16 -> Float.float16ToFloat(buffer.getShort(index * 2));
            case F32 -> buffer.getFloat(index * 4);
        };
    }

    /** Appends one element to a little-endian buffer, rounding to nearest even where the type is narrower. */
    public void put(ByteBuffer buffer, float value) {
        switch (this) {
            case BF16 -> buffer.putShort(Bf16.fromFloat(value));
            case F16 -> buffer.putShort(Float.floatToFloat16(value));
            case F32 -> buffer.putFloat(value);
        }
    }
}
