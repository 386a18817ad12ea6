package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.pagestream.internvl.checkpoint.Bf16;
import java.nio.ByteBuffer;

/** A floating-point element type for stored weights and activations, with its ONNX type and byte encoding. */
public enum Precision {
    FP32(DataType.FLOAT, 4),
    FP16(DataType.FLOAT16, 2),
    BF16(DataType.BFLOAT16, 2);

    private final DataType onnxType;
    private final int byteSize;

    Precision(DataType onnxType, int byteSize) {
        this.onnxType = onnxType;
        this.byteSize = byteSize;
    }

    public DataType onnxType() {
        return onnxType;
    }

    public int byteSize() {
        return byteSize;
    }

    /** Appends one value to a little-endian buffer, rounding to nearest even where the type is narrower. */
    public void put(ByteBuffer buffer, float value) {
        switch (this) {
            case FP32 -> buffer.putFloat(value);
            case FP16 -> buffer.putShort(Float.floatToFloat16(value));
            case BF16 -> buffer.putShort(Bf16.fromFloat(value));
        }
    }

    /** Reads one value from a little-endian buffer, widened to float32 (exactly: every value of each type fits). */
    public float get(ByteBuffer buffer) {
        return switch (this) {
            case FP32 -> buffer.getFloat();
            case FP16 -> Float.float16ToFloat(buffer.getShort());
            case BF16 -> Bf16.toFloat(buffer.getShort());
        };
    }

    /** The value this type stores for {@code value}: rounded to nearest even, overflowing to infinity. */
    public float round(float value) {
        return switch (this) {
            case FP32 -> value;
            case FP16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            case BF16 -> Bf16.toFloat(Bf16.fromFloat(value));
        };
    }

    /** Appends one value, rounding to nearest even where the type is narrower than float32. */
    public void put(ByteSink sink, float value) {
        switch (this) {
            case FP32 -> sink.putFloat(value);
            case FP16 -> sink.putShort(Float.floatToFloat16(value));
            case BF16 -> sink.putShort(Bf16.fromFloat(value));
        }
    }
}
