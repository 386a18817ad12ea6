package io.pagestream.ingest.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetSizeTest {

    @Test
    void gridIsTheModelsChoice() {
        assertArrayEquals(new int[] {1, 1}, TargetSize.grid(448, 448));
        assertArrayEquals(new int[] {2, 3}, TargetSize.grid(595, 842)); // A4 portrait
        assertArrayEquals(new int[] {3, 4}, TargetSize.grid(612, 792)); // US Letter
        assertArrayEquals(new int[] {4, 3}, TargetSize.grid(842, 595));
        assertArrayEquals(new int[] {12, 1}, TargetSize.grid(10_000, 100));
    }

    @Test
    void pagesCoverTheirGridAndStayWithinTwelveTiles() {
        assertArrayEquals(new int[] {950, 1344}, TargetSize.forVector(595, 842));
        assertArrayEquals(new int[] {1385, 1792}, TargetSize.forVector(612, 792));
        assertArrayEquals(new int[] {1792, 1008}, TargetSize.forVector(1280, 720));
        int[] strip = TargetSize.forVector(100_000, 100);
        assertTrue(strip[0] == TargetSize.MAX_SIDE, "long side capped at 12 x 448");
        for (double aspect = 0.05; aspect < 20; aspect *= 1.07) {
            int[] s = TargetSize.forVector(1000 * aspect, 1000);
            assertTrue(Math.max(s[0], s[1]) <= TargetSize.MAX_SIDE);
            assertTrue((long) s[0] * s[1] <= 2L * 12 * 448 * 448, "bounded pixels at aspect " + aspect);
        }
    }

    @Test
    void rastersAreNeverEnlarged() {
        assertArrayEquals(new int[] {300, 200}, TargetSize.forRaster(300, 200));
        assertArrayEquals(new int[] {950, 1344}, TargetSize.forRaster(2480, 3508)); // A4 at 300 dpi
    }
}
