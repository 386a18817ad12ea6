package io.pagestream.internvl.onnx;

/**
 * How {@link TargetDtype#INT4} and {@link TargetDtype#INT4_FP16} quantise (block scales are stored in the dtype's
 * activation precision).
 *
 * @param symmetric     blocks without zero points (scale only); otherwise one 4-bit zero point per block
 * @param accuracyLevel MatMulNBits {@code accuracy_level}: 0 keeps activations in float (exact dequantised product),
 *                      4 lets the CPU quantise activations to int8 per block (faster, about 3e-2 further off)
 */
public record Int4Options(boolean symmetric, int accuracyLevel) {
    public static final Int4Options DEFAULT = new Int4Options(true, 0);

    public Int4Options {
        if (accuracyLevel < 0 || accuracyLevel > 4) {
            throw new IllegalArgumentException("accuracy_level must be 0..4, got " + accuracyLevel);
        }
    }
}
