package io.pagestream.internvl.image;

import java.awt.image.BufferedImage;

/**
 * Mono-InternVL's image preprocessing (spec section 3.1): choose a tile grid by aspect, resize the whole image onto
 * it with Pillow's bicubic, cut the tiles row-major, append a thumbnail when there is more than one tile, normalise.
 */
public final class ImagePreprocessor {

    private final ImagePreprocessConfig config;

    public ImagePreprocessor(ImagePreprocessConfig config) {
        this.config = config;
    }

    public PixelTiles preprocess(BufferedImage image) {
        checkSize(image.getWidth(), image.getHeight());
        return preprocess(BufferedImages.toRgb(image));
    }

    public PixelTiles preprocess(RgbImage image) {
        checkSize(image.width(), image.height());
        int size = config.imageSize();
        TileGrid grid = TileGrid.choose(image.width(), image.height(), config);
        boolean thumbnail = config.useThumbnail() && grid.tiles() > 1;
        int tileCount = grid.tiles() + (thumbnail ? 1 : 0);
        int tileValues = 3 * size * size;
        long total = (long) tileCount * tileValues;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(tileCount + " tiles of " + size + " do not fit one float array");
        }
        float[] values = new float[(int) total];
        RgbImage resized = PillowResize.bicubic(image, size * grid.columns(), size * grid.rows());
        for (int k = 0; k < grid.tiles(); k++) {
            int left = (k % grid.columns()) * size;
            int top = (k / grid.columns()) * size;
            TileNormalizer.writeTile(resized, left, top, size, values, k * tileValues);
        }
        if (thumbnail) {
            RgbImage whole = PillowResize.bicubic(image, size, size);
            TileNormalizer.writeTile(whole, 0, 0, size, values, grid.tiles() * tileValues);
        }
        return new PixelTiles(grid, thumbnail, tileCount, size, values);
    }

    private void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image has no pixels: " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > config.maxPixels()) {
            throw new IllegalArgumentException("image " + width + "x" + height + " has " + pixels
                    + " pixels, above the limit of " + config.maxPixels());
        }
    }
}
