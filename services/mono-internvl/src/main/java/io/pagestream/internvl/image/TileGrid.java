package io.pagestream.internvl.image;

import java.util.List;

/**
 * A tiling of the resized image: {@code columns} tiles across, {@code rows} down.
 *
 * <p>{@link #choose} is upstream's closest-aspect rule. Doubles are compared exactly on purpose: upstream compares
 * Python floats, which are the same IEEE doubles, so exact ties fall the same way here.
 */
public record TileGrid(int columns, int rows) {

    public TileGrid {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("a grid needs at least one column and row, got " + columns + "x" + rows);
        }
    }

    public int tiles() {
        return columns * rows;
    }

    /** Picks the grid for a width x height image among candidates in upstream's scan order. */
    public static TileGrid choose(int width, int height, int imageSize, List<TileGrid> candidates) {
        double aspect = (double) width / height;
        long area = (long) width * height;
        double bestDiff = Double.POSITIVE_INFINITY;
        TileGrid best = new TileGrid(1, 1);
        for (TileGrid grid : candidates) {
            double diff = Math.abs(aspect - (double) grid.columns / grid.rows);
            if (diff < bestDiff) {
                bestDiff = diff;
                best = grid;
            } else if (diff == bestDiff && area > 0.5 * imageSize * imageSize * grid.columns * grid.rows) {
                // A large image on an exact tie prefers the later, larger grid: more tiles keep more detail.
                best = grid;
            }
        }
        return best;
    }

    public static TileGrid choose(int width, int height, ImagePreprocessConfig config) {
        return choose(width, height, config.imageSize(), CandidateGrids.of(config.minTiles(), config.maxTiles()));
    }
}
