package io.pagestream.internvl.image;

/**
 * The vision input: {@code tileCount} normalised tiles, shape [tileCount, 3, tileSize, tileSize], channels R, G, B.
 *
 * @param grid      the chosen tiling; the tiles are its {@code grid.tiles()} crops, then the thumbnail if any
 * @param thumbnail whether the last tile is the whole-image thumbnail
 */
public record PixelTiles(TileGrid grid, boolean thumbnail, int tileCount, int tileSize, float[] values) {

    public PixelTiles {
        long expected = 3L * tileCount * tileSize * tileSize;
        if (values.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " values for " + tileCount + " tiles of "
                    + tileSize + ", got " + values.length);
        }
        if (tileCount != grid.tiles() + (thumbnail ? 1 : 0)) {
            throw new IllegalArgumentException("tile count " + tileCount + " does not fit grid " + grid.columns() + "x"
                    + grid.rows() + (thumbnail ? " plus thumbnail" : ""));
        }
    }

    public float value(int tile, int channel, int y, int x) {
        return values[((tile * 3 + channel) * tileSize + y) * tileSize + x];
    }
}
