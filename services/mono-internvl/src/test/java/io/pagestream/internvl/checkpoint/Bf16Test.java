package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Bf16Test {
    private static int bf16(int floatBits) {
        return Bf16.fromFloat(Float.intBitsToFloat(floatBits)) & 0xFFFF;
    }

    @Test
    void wideningShiftsIntoTheHighHalf() {
        assertEquals(1.0f, Bf16.toFloat((short) 0x3F80));
        assertEquals(-2.0f, Bf16.toFloat((short) 0xC000));
        assertEquals(Float.POSITIVE_INFINITY, Bf16.toFloat((short) 0x7F80));
        assertEquals(0x00010000, Float.floatToRawIntBits(Bf16.toFloat((short) 0x0001)));
    }

    @Test
    void exactValuesAndZerosAreKept() {
        assertEquals(0x3F80, bf16(0x3F800000));
        assertEquals(0x0000, bf16(0x00000000));
        assertEquals(0x8000, bf16(0x80000000));
        assertEquals(0x7F80, bf16(0x7F800000));
        assertEquals(0xFF80, bf16(0xFF800000));
    }

    @Test
    void tiesRoundToEven() {
        assertEquals(0x3F80, bf16(0x3F808000), "even lower neighbour: down");
        assertEquals(0x3F82, bf16(0x3F818000), "odd lower neighbour: up");
        assertEquals(0xBF80, bf16(0xBF808000), "negative, even: toward zero");
        assertEquals(0xBF82, bf16(0xBF818000), "negative, odd: away from zero");
        assertEquals(0x3F81, bf16(0x3F808001), "just above the tie");
        assertEquals(0x3F80, bf16(0x3F807FFF), "just below the tie");
    }

    @Test
    void subnormalsRound() {
        assertEquals(0x0000, bf16(0x00008000), "tie to even zero");
        assertEquals(0x0002, bf16(0x00018000), "tie to even 2");
        assertEquals(0x0001, bf16(0x00008001));
        assertEquals(0x0080, bf16(0x007FFFFF), "largest subnormal rounds up to the smallest normal");
        assertEquals(0x8001, bf16(0x80010000));
    }

    @Test
    void overflowGoesToInfinityOnlyPastTheHalfway() {
        assertEquals(0x7F80, bf16(0x7F7FFFFF), "Float.MAX_VALUE");
        assertEquals(0x7F80, bf16(0x7F7F8000), "tie above the largest bf16 (odd): infinity");
        assertEquals(0x7F7F, bf16(0x7F7F7FFF));
        assertEquals(0xFF80, bf16(0xFF7FFFFF));
    }

    @Test
    void nanStaysNan() {
        for (int bits : new int[] {0x7FC00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0x7F80FFFF}) {
            float back = Bf16.toFloat(Bf16.fromFloat(Float.intBitsToFloat(bits)));
            assertTrue(Float.isNaN(back), () -> Integer.toHexString(bits) + " became " + back);
            assertEquals(bits >>> 31, Float.floatToRawIntBits(back) >>> 31, "sign kept");
        }
    }

    @Test
    void agreesWithExactDecimalRoundingOnRandomFloats() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int bits = random.nextInt();
            float value = Float.intBitsToFloat(bits);
            if (Float.isNaN(value) || Float.isInfinite(value)) {
                continue;
            }
            assertEquals(reference(bits), bf16(bits), () -> Integer.toHexString(bits));
        }
    }

    /** Nearest bf16 by exact decimal distance to both neighbours, ties to even; overflow past the halfway to inf. */
    private static int reference(int bits) {
        int low = bits & 0xFFFF0000;
        if (low == bits) {
            return bits >>> 16;
        }
        int high = low + 0x10000;
        BigDecimal x = new BigDecimal(Math.abs(Float.intBitsToFloat(bits)));
        BigDecimal below = x.subtract(magnitude(low));
        BigDecimal above = magnitude(high).subtract(x);
        int c = below.compareTo(above);
        boolean down = c < 0 || (c == 0 && ((low >>> 16) & 1) == 0);
        return (down ? low : high) >>> 16;
    }

    private static BigDecimal magnitude(int bits) {
        int abs = bits & 0x7FFFFFFF;
        return abs == 0x7F800000 ? new BigDecimal(2).pow(128) : new BigDecimal(Math.abs(Float.intBitsToFloat(abs)));
    }

    @Test
    void dtypeElementCodecsRoundTrip() {
        float[] values = {0f, -0f, 1f, -1.5f, 65504f, 6e-8f, Float.POSITIVE_INFINITY, 3.14159f};
        for (DType type : DType.values()) {
            ByteBuffer buffer =
                    ByteBuffer.allocate(values.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                type.put(buffer, v);
            }
            for (int i = 0; i < values.length; i++) {
                float expected =
                        switch (type) {
                            case BF16 -> Bf16.toFloat(Bf16.fromFloat(values[i]));
                            case F16 -> Float.float16ToFloat(Float.floatToFloat16(values[i]));
                            case F32 -> values[i];
                        };
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(type.get(buffer, i)),
                        type + " element " + i);
            }
        }
    }
}
