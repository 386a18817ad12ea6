package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PixelShuffleTest {
    /** A 4×4 grid of width-2 tokens; token (r, c) holds {10r + c, 100 + 10r + c}. */
    private static float[][] grid() {
        float[][] tokens = new float[16][];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                tokens[r * 4 + c] = new float[] {10 * r + c, 100 + 10 * r + c};
            }
        }
        return tokens;
    }

    @Test
    void v2OrdersMergedTokensRowMajorAndBlocksTopLeftFirst() {
        float[][] out = PixelShuffle.apply(grid(), 4, "v2");
        assertEquals(4, out.length);
        assertArrayEquals(new float[] {0, 100, 1, 101, 10, 110, 11, 111}, out[0]);
        assertArrayEquals(new float[] {2, 102, 3, 103, 12, 112, 13, 113}, out[1]);
        assertArrayEquals(new float[] {20, 120, 21, 121, 30, 130, 31, 131}, out[2]);
        assertArrayEquals(new float[] {22, 122, 23, 123, 32, 132, 33, 133}, out[3]);
    }

    @Test
    void v1TransposesTheMergedTokenOrderOnly() {
        float[][] out = PixelShuffle.apply(grid(), 4, "v1");
        assertArrayEquals(new float[] {0, 100, 1, 101, 10, 110, 11, 111}, out[0]);
        assertArrayEquals(new float[] {20, 120, 21, 121, 30, 130, 31, 131}, out[1]);
        assertArrayEquals(new float[] {2, 102, 3, 103, 12, 112, 13, 113}, out[2]);
        assertArrayEquals(new float[] {22, 122, 23, 123, 32, 132, 33, 133}, out[3]);
    }

    @Test
    void rejectsOddGridsAndUnknownVersions() {
        assertThrows(IllegalArgumentException.class, () -> PixelShuffle.apply(new float[9][1], 3, "v2"));
        assertThrows(IllegalArgumentException.class, () -> PixelShuffle.apply(grid(), 4, "v3"));
    }
}
