package io.pagestream.ingest.render;

/**
 * How many pixels a page gets: exactly what Mono-InternVL's dynamic tiling can use, no more.
 *
 * <p>The model cuts an image into a grid of i × j tiles of 448 px (1 ≤ i·j ≤ 12) whose aspect ratio is closest to the
 * image's, after resizing the whole image to 448·i × 448·j. The rule here, for a page of W × H (points or pixels):
 * <ol>
 *   <li>pick that grid (same scan as the model: by tile count ascending, a strictly closer aspect wins);</li>
 *   <li>scale by s = max(448·i / W, 448·j / H) — the smallest scale at which the page covers the grid in both
 *       directions, so the model's resize never has to invent pixels;</li>
 *   <li>cap s so the long side is at most 12 × 448 = 5376 px (only extreme aspect ratios reach it);</li>
 *   <li>raster inputs are never enlarged (s ≤ 1): the model scales up as well as we would.</li>
 * </ol>
 * Examples: A4 portrait (595 × 842 pt) gets the 2 × 3 grid and renders at 950 × 1344 px (115 dpi); US Letter
 * (612 × 792 pt) gets 3 × 4 and 1385 × 1792 px (163 dpi); A4 landscape 4 × 3 and 1902 × 1344 px; a 16:9 slide 4 × 2
 * and 1792 × 1008 px. The largest output is about 2.6 million pixels, well under the pages topic's 16 MiB.
 */
public final class TargetSize {
    public static final int TILE = 448;
    public static final int MAX_TILES = 12;
    public static final int MAX_SIDE = TILE * MAX_TILES;

    private TargetSize() {}

    /** The tile grid {columns, rows} the model picks for an image of width × height. */
    public static int[] grid(double width, double height) {
        double aspect = width / height;
        double bestDiff = Double.POSITIVE_INFINITY;
        int bestI = 1;
        int bestJ = 1;
        for (int n = 1; n <= MAX_TILES; n++) {
            for (int i = 1; i <= n; i++) {
                if (n % i != 0) {
                    continue;
                }
                int j = n / i;
                double diff = Math.abs(aspect - (double) i / j);
                if (diff < bestDiff) {
                    bestDiff = diff;
                    bestI = i;
                    bestJ = j;
                } else if (diff == bestDiff && width * height > 0.5 * TILE * TILE * i * j) {
                    bestI = i;
                    bestJ = j;
                }
            }
        }
        return new int[] {bestI, bestJ};
    }

    /** The scale factor for a page of width × height (any unit) under the rule above, without the raster cap. */
    public static double scale(double width, double height) {
        int[] g = grid(width, height);
        double cover = Math.max(TILE * g[0] / width, TILE * g[1] / height);
        return Math.min(cover, MAX_SIDE / Math.max(width, height));
    }

    /** Output size in pixels {width, height} for a vector page (PDF) of width × height points. */
    public static int[] forVector(double width, double height) {
        double s = scale(width, height);
        return new int[] {Math.max(1, (int) Math.round(width * s)), Math.max(1, (int) Math.round(height * s))};
    }

    /** Output size in pixels for a raster page of width × height pixels: the vector rule, never enlarging. */
    public static int[] forRaster(int width, int height) {
        double s = Math.min(1.0, scale(width, height));
        return new int[] {Math.max(1, (int) Math.round(width * s)), Math.max(1, (int) Math.round(height * s))};
    }
}
