package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FunctionsTest {
    /** Far tighter than float32 needs; the series loses a few digits to cancellation just below 3. */
    @Test
    void erfMatchesTabulatedValuesOnBothSidesOfTheMethodSwitch() {
        assertEquals(0, Erf.erf(0));
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-13);
        assertEquals(0.8427007929497149, Erf.erf(1), 1e-13);
        assertEquals(-0.999593047982555, Erf.erf(-2.5), 1e-13);
        assertEquals(0.9999992569016276, Erf.erf(3.5), 1e-13);
        assertEquals(-1, Erf.erf(-6), 1e-13);
    }

    /** Exact GELU: 1 · Φ(1) and −2 · Φ(−2); the tanh approximation gives 0.84119 and −0.04540. */
    @Test
    void geluIsTheErfForm() {
        assertEquals(0.8413447460685429, Functions.gelu(1), 1e-7);
        assertEquals(-0.04550026389635842, Functions.gelu(-2), 1e-8);
    }

    @Test
    void rmsNormDividesByTheRootMeanSquare() {
        // mean of squares of {3, 4, 0, 0} is 6.25
        float[] y = Functions.rmsNorm(new float[] {3, 4, 0, 0}, new float[] {1, 2, 1, 1}, 0);
        assertArrayEquals(new float[] {1.2f, 3.2f, 0, 0}, y, 1e-6f);
    }

    @Test
    void layerNormUsesTheBiasedVariance() {
        // mean 2, variance (1 + 0 + 1) / 3
        float[] y = Functions.layerNorm(new float[] {1, 2, 3}, new float[] {1, 1, 2}, new float[] {0, 5, 0}, 0);
        double unit = 1 / Math.sqrt(2.0 / 3);
        assertArrayEquals(new float[] {(float) -unit, 5, (float) (2 * unit)}, y, 1e-6f);
    }

    /** {1, 2, 4, 8} shrunk to 2 samples: taps at 0.5 and 2.5 with weights −0.09375, 0.59375, 0.59375, −0.09375. */
    @Test
    void bicubicResizeMatchesTheKeysKernelWithEdgeClamping() {
        float[] out = BicubicResize.resize(new float[] {1, 2, 4, 8}, 1, 4, 1, 1, 2);
        assertArrayEquals(new float[] {1.3125f, 6.1875f}, out);
    }

    @Test
    void bicubicResizeToTheSameSizeIsTheIdentity() {
        float[] grid = {1, -2, 3, 4, 5, -6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16, 17, 18};
        assertArrayEquals(grid, BicubicResize.resize(grid, 3, 3, 2, 3, 3));
    }
}
