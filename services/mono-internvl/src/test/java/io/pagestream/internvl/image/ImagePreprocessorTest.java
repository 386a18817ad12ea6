package io.pagestream.internvl.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};
    private static final ImagePreprocessor DEFAULT = new ImagePreprocessor(ImagePreprocessConfig.MONO_INTERNVL);

    @Test
    void tilesAndThumbnailMatchPillowThroughTheWholePipeline() {
        for (int[] size : new int[][] {{800, 600}, {1000, 37}, {300, 200}, {449, 448}}) {
            ImageFixtures.Case c = ImageFixtures.find(size[0], size[1]);
            PixelTiles tiles = DEFAULT.preprocess(SyntheticImage.of(c.width(), c.height()));
            assertEquals(c.grid(), tiles.grid(), c.name());
            double worst = 0;
            for (ImageFixtures.Crop crop : c.crops()) {
                RgbImage expected = ImageFixtures.png(crop.file());
                for (int y = 0; y < crop.height(); y++) {
                    for (int x = 0; x < crop.width(); x++) {
                        int gx = crop.x() + x;
                        int gy = crop.y() + y;
                        // Row-major tiles: the tile index counts columns first.
                        int tile = (gy / 448) * c.grid().columns() + gx / 448;
                        worst = Math.max(worst, worstChannel(expected, x, y, tiles, tile, gy % 448, gx % 448));
                    }
                }
            }
            if (c.thumbnail() != null) {
                RgbImage expected = ImageFixtures.png(c.thumbnail());
                for (int y = 0; y < 448; y++) {
                    for (int x = 0; x < 448; x++) {
                        worst = Math.max(worst, worstChannel(expected, x, y, tiles, tiles.tileCount() - 1, y, x));
                    }
                }
            }
            assertTrue(worst < 1e-5, c.name() + ": normalised values differ from Pillow+torchvision by " + worst);
        }
    }

    @Test
    void tilesAreCutRowMajor() {
        // 1344x896 of six flat 448 blocks: grid 3x2 and a same-size resize, so each tile is exactly one block.
        RgbImage image = RgbImage.blank(1344, 896);
        for (int y = 0; y < 896; y++) {
            for (int x = 0; x < 1344; x++) {
                int block = (y / 448) * 3 + x / 448;
                image.pixels()[3 * (y * 1344 + x)] = (byte) (40 * block);
            }
        }
        PixelTiles tiles = DEFAULT.preprocess(image);
        assertEquals(new TileGrid(3, 2), tiles.grid());
        assertEquals(7, tiles.tileCount());
        for (int k = 0; k < 6; k++) {
            for (int[] at : new int[][] {{0, 0}, {447, 447}, {200, 300}}) {
                assertEquals(TileNormalizer.normalize(0, 40 * k), tiles.value(k, 0, at[0], at[1]), "tile " + k);
            }
        }
    }

    @Test
    void thumbnailOnlyWithMoreThanOneTileAndWhenEnabled() {
        PixelTiles single = DEFAULT.preprocess(SyntheticImage.of(448, 448));
        assertEquals(1, single.tileCount());
        assertFalse(single.thumbnail());

        PixelTiles wide = DEFAULT.preprocess(SyntheticImage.of(896, 448));
        assertEquals(new TileGrid(2, 1), wide.grid());
        assertEquals(3, wide.tileCount());
        assertTrue(wide.thumbnail());
        assertEquals(3 * 3 * 448 * 448, wide.values().length);

        PixelTiles off = new ImagePreprocessor(new ImagePreprocessConfig(448, 1, 12, false, 1_000_000))
                .preprocess(SyntheticImage.of(896, 448));
        assertEquals(2, off.tileCount());
        assertFalse(off.thumbnail());

        PixelTiles oneTile = new ImagePreprocessor(new ImagePreprocessConfig(448, 1, 1, true, 1_000_000))
                .preprocess(SyntheticImage.of(896, 448));
        assertEquals(1, oneTile.tileCount());
    }

    @Test
    void normalisationFollowsImageNetStatistics() {
        assertEquals(-0.485 / 0.229, TileNormalizer.normalize(0, 0), 1e-6);
        assertEquals((1 - 0.456) / 0.224, TileNormalizer.normalize(1, 255), 1e-6);
        assertEquals((128 / 255.0 - 0.406) / 0.225, TileNormalizer.normalize(2, 128), 1e-6);
        assertEquals(-2.1179039f, TileNormalizer.normalize(0, 0), 1e-6f);
        assertEquals(2.64f, TileNormalizer.normalize(2, 255), 1e-6f);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                assertEquals((p / 255.0 - MEAN[c]) / STD[c], TileNormalizer.normalize(c, p), 1e-5);
            }
        }
    }

    @Test
    void channelsComeFirst() {
        RgbImage image = RgbImage.blank(448, 448);
        for (int i = 0; i < image.pixels().length; i += 3) {
            image.pixels()[i] = (byte) 255;
            image.pixels()[i + 2] = 51;
        }
        PixelTiles tiles = DEFAULT.preprocess(image);
        float[] v = tiles.values();
        int plane = 448 * 448;
        assertEquals(TileNormalizer.normalize(0, 255), v[0]);
        assertEquals(TileNormalizer.normalize(0, 255), v[plane - 1]);
        assertEquals(TileNormalizer.normalize(1, 0), v[plane]);
        assertEquals(TileNormalizer.normalize(2, 51), v[2 * plane + 12345]);
    }

    @Test
    void emptyImagesAreRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DEFAULT.preprocess(RgbImage.blank(0, 5)));
        assertTrue(e.getMessage().contains("0x5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DEFAULT.preprocess(RgbImage.blank(7, 0)));
        assertTrue(e.getMessage().contains("7x0"), e.getMessage());
    }

    @Test
    void oversizedImagesAreRejectedBeforeAnyPixelIsRead() {
        ImagePreprocessor small = new ImagePreprocessor(new ImagePreprocessConfig(448, 1, 12, true, 1000));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> small.preprocess(SyntheticImage.of(40, 30)));
        assertTrue(
                e.getMessage().contains("40x30")
                        && e.getMessage().contains("1200")
                        && e.getMessage().contains("1000"),
                e.getMessage());

        BufferedImage untouchable = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB) {
            @Override
            public int[] getRGB(int x, int y, int w, int h, int[] rgb, int offset, int scan) {
                throw new AssertionError("pixels read before the size check");
            }

            @Override
            public WritableRaster getRaster() {
                throw new AssertionError("raster read before the size check");
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> small.preprocess(untouchable));
        assertTrue(e.getMessage().contains("50x50") && e.getMessage().contains("2500"), e.getMessage());
    }

    @Test
    void grayImagesAreCopiedToAllChannels() {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = gray.getRaster();
        raster.setSample(1, 1, 0, 100);
        RgbImage rgb = BufferedImages.toRgb(gray);
        for (int c = 0; c < 3; c++) {
            assertEquals(100, rgb.sample(1, 1, c));
            assertEquals(0, rgb.sample(0, 0, c));
        }
        BufferedImage color = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        color.setRGB(1, 0, 0x80123456);
        RgbImage fromColor = BufferedImages.toRgb(color);
        assertEquals(0x12, fromColor.sample(1, 0, 0));
        assertEquals(0x34, fromColor.sample(1, 0, 1));
        assertEquals(0x56, fromColor.sample(1, 0, 2));
    }

    /** Largest gap between the preprocessor's value and upstream's float32 (p / 255 - mean) / std of Pillow's pixel. */
    private static double worstChannel(RgbImage expected, int ex, int ey, PixelTiles tiles, int tile, int y, int x) {
        double worst = 0;
        for (int c = 0; c < 3; c++) {
            float torch = (expected.sample(ex, ey, c) / 255f - (float) MEAN[c]) / (float) STD[c];
            worst = Math.max(worst, Math.abs(torch - tiles.value(tile, c, y, x)));
        }
        return worst;
    }
}
