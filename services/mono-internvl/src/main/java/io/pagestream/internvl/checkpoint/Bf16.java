package io.pagestream.internvl.checkpoint;

/** bfloat16 is the upper half of an IEEE float32, so conversion is bit shifting plus rounding on the way down. */
public final class Bf16 {
    private Bf16() {}

    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Rounds to the nearest bfloat16, ties to even, as PyTorch does. Overflow rounds to infinity; NaN stays a NaN
     * (quieted, sign kept) because rounding its payload could otherwise carry it into the infinity pattern.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }
}
