package io.pagestream.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageGeometryTest {
    private static final double EPS = 1e-9;
    /** A4, 595.28 × 841.89 pt, rendered 1000 px wide (1000/595.28 px per pt): 1414 px high, PDFBox floors 1414.27. */
    private final PageGeometry a4 = new PageGeometry(1000, 1414, 595.28, 841.89, 1000 / 595.28);

    @Test
    void gridBoxToPixelsAndPoints() {
        Placement p = a4.place(new Box(100, 200, 500, 400));
        assertBox(new Box(100, 200, 500, 400), p.grid());
        assertBox(new Box(100.0, 282.8, 500.0, 565.6), p.pixels());
        // points from pixels: 282.8 px / (1000/595.28) = 168.345 pt (168.378 by grid × page height: the 0.27 px
        // the render floored away)
        assertBox(new Box(59.528, 168.345184, 297.64, 336.690368), p.points());
        assertEquals(168.35, Math.round(p.points().y1() * 100) / 100.0);
    }

    @Test
    void wholeGridIsTheWholeImageAndAtMostThePage() {
        Placement p = a4.place(new Box(0, 0, 1000, 1000));
        assertBox(new Box(0, 0, 1000, 1414), p.pixels());
        assertEquals(595.28, p.points().x2(), EPS);
        assertEquals(1414 / (1000 / 595.28), p.points().y2(), EPS); // 841.73: the rendered part of the page
        assertTrue(p.points().y2() <= a4.pageHeight());
    }

    @Test
    void outOfGridIsClampedAndCornersOrdered() {
        assertFalse(PageGeometry.onGrid(new Box(-20, 100, 1200, 50)));
        Placement p = a4.place(new Box(-20, 100, 1200, 50));
        assertBox(new Box(0, 50, 1000, 100), p.grid());
        assertBox(new Box(0, 70.7, 1000, 141.4), p.pixels());
        assertTrue(PageGeometry.onGrid(new Box(0, 0, 1000, 1000)));
        assertTrue(PageGeometry.onGrid(new Box(5, 5, 5, 5)));
    }

    @Test
    void rasterPageHasPixelsForPoints() {
        PageGeometry scan = PageGeometry.ofImage(1240, 1754);
        Placement p = scan.place(new Box(500, 500, 1000, 1000));
        assertBox(new Box(620, 877, 1240, 1754), p.pixels());
        assertBox(p.pixels(), p.points());
    }

    @Test
    void rejectsImpossibleGeometry() {
        assertThrows(IllegalArgumentException.class, () -> new PageGeometry(0, 10, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PageGeometry(10, 10, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PageGeometry(10, 10, 1, 1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new PageGeometry(10, 10, 1, Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> new Box(0, 0, Double.NaN, 1));
    }

    private static void assertBox(Box expected, Box actual) {
        assertEquals(expected.x1(), actual.x1(), 1e-6, "x1 of " + actual);
        assertEquals(expected.y1(), actual.y1(), 1e-6, "y1 of " + actual);
        assertEquals(expected.x2(), actual.x2(), 1e-6, "x2 of " + actual);
        assertEquals(expected.y2(), actual.y2(), 1e-6, "y2 of " + actual);
    }
}
