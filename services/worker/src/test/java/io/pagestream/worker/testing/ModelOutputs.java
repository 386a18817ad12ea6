package io.pagestream.worker.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.BoundingBox;
import io.pagestream.schema.BoxPlacement;

/** Raw outputs as Mono-InternVL writes them, what they must parse to, and the box checks on the A4 page. */
public final class ModelOutputs {
    /** The page in LAYOUT mode: a heading, two paragraphs and a 3 × 4 table, every region grounded. */
    public static final String LAYOUT =
            """
            <ref>## Quarterly results</ref><box>[[100, 50, 900, 120]]</box>
            <ref>Revenue grew in every region.</ref><box>[[100, 150, 900, 250]]</box>
            <ref>Costs stayed flat, so the margin rose.</ref><box>[[100, 270, 900, 360]]</box>
            <ref>| Region | Q1 | Q2 | Q3 |
            |---|---|---|---|
            | North | 10 | 12 | 14 |
            | South | 8 | 9 | 11 |</ref><box>[[100, 400, 900, 600]]</box>""";

    /** {@link #LAYOUT} as normalised markdown. */
    public static final String LAYOUT_MARKDOWN =
            """
            ## Quarterly results

            Revenue grew in every region.

            Costs stayed flat, so the margin rose.

            | Region | Q1 | Q2 | Q3 |
            | --- | --- | --- | --- |
            | North | 10 | 12 | 14 |
            | South | 8 | 9 | 11 |""";

    private static final double A4_SCALE = Pages.A4.getRenderScale();

    private ModelOutputs() {}

    public static void assertBox(double x1, double y1, double x2, double y2, BoundingBox box) {
        assertEquals(x1, box.getX1(), 1e-9, "x1 of " + box);
        assertEquals(y1, box.getY1(), 1e-9, "y1 of " + box);
        assertEquals(x2, box.getX2(), 1e-9, "x2 of " + box);
        assertEquals(y2, box.getY2(), 1e-9, "y2 of " + box);
    }

    /**
     * A grid box as it must come out on the A4 page ({@link Pages#a4}): fractions of its 1240 × 1753 pixels, and
     * points = pixels / scale, inside the 595.28 × 841.89 pt page.
     */
    public static void assertOnA4(double gx1, double gy1, double gx2, double gy2, BoxPlacement placement) {
        assertBox(gx1, gy1, gx2, gy2, placement.getGrid());
        double w = Pages.A4_WIDTH / 1000.0;
        double h = Pages.A4_HEIGHT / 1000.0;
        assertBox(gx1 * w, gy1 * h, gx2 * w, gy2 * h, placement.getPixels());
        assertBox(
                gx1 * w / A4_SCALE, gy1 * h / A4_SCALE, gx2 * w / A4_SCALE, gy2 * h / A4_SCALE, placement.getPoints());
        BoundingBox points = placement.getPoints();
        assertTrue(
                points.getX1() >= 0
                        && points.getY1() >= 0
                        && points.getX2() <= Pages.A4.getWidthPoints()
                        && points.getY2() <= Pages.A4.getHeightPoints(),
                "inside the page: " + points);
    }
}
