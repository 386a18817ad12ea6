package io.pagestream.internvl.image;

import java.awt.image.BufferedImage;

/** Turns decoded {@link BufferedImage}s into {@link RgbImage}s the way Pillow's {@code convert("RGB")} would. */
final class BufferedImages {

    private BufferedImages() {}

    static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        RgbImage rgb = RgbImage.blank(width, height);
        byte[] out = rgb.pixels();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // Java's gray colour space is linear, so getRGB would gamma-shift the values; Pillow copies L into R, G, B.
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRaster().getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int at = 3 * (y * width + x);
                    out[at] = out[at + 1] = out[at + 2] = (byte) row[x];
                }
            }
            return rgb;
        }
        // Row by row so a large page never needs a second full-size int buffer; alpha is dropped, as Pillow does.
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int at = 3 * (y * width + x);
                out[at] = (byte) (row[x] >> 16);
                out[at + 1] = (byte) (row[x] >> 8);
                out[at + 2] = (byte) row[x];
            }
        }
        return rgb;
    }
}
