package io.pagestream.internvl.image;

/**
 * Dynamic-tiling parameters, taken from the checkpoint's config so the caller can pass its values.
 *
 * @param imageSize    tile edge in pixels (448 for Mono-InternVL)
 * @param minTiles     smallest allowed grid area
 * @param maxTiles     largest allowed grid area, the thumbnail not counted
 * @param useThumbnail append the whole image at tile size when the grid has more than one tile
 * @param maxPixels    inputs with more pixels are refused before any resize work, a guard on memory and time
 */
public record ImagePreprocessConfig(int imageSize, int minTiles, int maxTiles, boolean useThumbnail, long maxPixels) {

    /** Upstream's inference defaults (README example); the pixel limit is ours. */
    public static final ImagePreprocessConfig MONO_INTERNVL = new ImagePreprocessConfig(448, 1, 12, true, 40_000_000L);

    public ImagePreprocessConfig {
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        if (minTiles < 1 || maxTiles < minTiles) {
            throw new IllegalArgumentException(
                    "need 1 <= minTiles <= maxTiles, got minTiles=" + minTiles + " maxTiles=" + maxTiles);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
    }
}
