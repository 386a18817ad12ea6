package io.pagestream.structure;

/**
 * The page the model saw and the page it came from: the rendered image in pixels, the original page in PDF points,
 * and the render scale between them (pixels per point). Converts the model's 0–1000 grid, which is relative to the
 * image's width and height, into both.
 *
 * <p>Points are computed from pixels ({@code px / scale}), not from the page size ({@code grid / 1000 × width}).
 * A renderer rounds the image to whole pixels (PDFBox floors {@code points × scale}), so the image covers slightly
 * less than the page, and a grid position is a fraction of the image, not of the page. The page size bounds the
 * result. Points are those of the page as displayed (its rotation applied, relative to its crop box), with the same
 * top-left origin as the pixels.
 *
 * @param pixelWidth  width of the image the model saw, in pixels
 * @param pixelHeight its height
 * @param pageWidth   width of the original page in PDF points (1/72 inch)
 * @param pageHeight  its height
 * @param scale       pixels per point of the render
 */
public record PageGeometry(int pixelWidth, int pixelHeight, double pageWidth, double pageHeight, double scale) {
    /** The side of the model's coordinate grid. */
    public static final double GRID = 1000;

    public PageGeometry {
        if (pixelWidth < 1 || pixelHeight < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + pixelWidth + " x " + pixelHeight);
        }
        if (!(pageWidth > 0 && pageHeight > 0 && scale > 0)
                || !Double.isFinite(pageWidth)
                || !Double.isFinite(pageHeight)
                || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("page size and scale must be positive and finite, got " + pageWidth
                    + " x " + pageHeight + " pt at " + scale);
        }
    }

    /**
     * A raster page (a scan or photo, not a PDF): it has no points of its own, so one point is one pixel of the
     * image the model saw.
     */
    public static PageGeometry ofImage(int pixelWidth, int pixelHeight) {
        return new PageGeometry(pixelWidth, pixelHeight, pixelWidth, pixelHeight, 1);
    }

    /** Whether every coordinate of the box lies on the grid, corners in order. */
    public static boolean onGrid(Box grid) {
        return grid.x1() >= 0
                && grid.y1() >= 0
                && grid.x2() <= GRID
                && grid.y2() <= GRID
                && grid.x1() <= grid.x2()
                && grid.y1() <= grid.y2();
    }

    /** The box clamped into the grid with its corners in order. */
    public static Box clampToGrid(Box grid) {
        double ax = clamp(grid.x1(), GRID);
        double bx = clamp(grid.x2(), GRID);
        double ay = clamp(grid.y1(), GRID);
        double by = clamp(grid.y2(), GRID);
        return new Box(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }

    /** A grid box (clamped first) in pixels and points. */
    public Placement place(Box grid) {
        Box g = clampToGrid(grid);
        Box px = new Box(
                g.x1() / GRID * pixelWidth,
                g.y1() / GRID * pixelHeight,
                g.x2() / GRID * pixelWidth,
                g.y2() / GRID * pixelHeight);
        Box pt = new Box(
                clamp(px.x1() / scale, pageWidth),
                clamp(px.y1() / scale, pageHeight),
                clamp(px.x2() / scale, pageWidth),
                clamp(px.y2() / scale, pageHeight));
        return new Placement(g, px, pt);
    }

    private static double clamp(double value, double max) {
        return Math.max(0, Math.min(max, value));
    }
}
