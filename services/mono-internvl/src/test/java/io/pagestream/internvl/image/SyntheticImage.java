package io.pagestream.internvl.image;

/**
 * The test input formula shared with make_image_fixtures.py (synthetic_image), so inputs need not be committed:
 * a zone plate in red (fine detail that aliases when shrunk), gradients in 16-row bands in green (sharp band edges),
 * and an 8-pixel checker with a one-pixel dither in blue.
 */
final class SyntheticImage {

    private SyntheticImage() {}

    static RgbImage of(int width, int height) {
        RgbImage image = RgbImage.blank(width, height);
        byte[] out = image.pixels();
        int xSpan = Math.max(width - 1, 1);
        int ySpan = Math.max(height - 1, 1);
        int at = 0;
        for (int y = 0; y < height; y++) {
            long yy = y;
            int vertical = (int) (yy * 255 / ySpan);
            for (int x = 0; x < width; x++) {
                long xx = x;
                out[at++] = (byte) (((xx * xx + 3 * yy * yy + xx * yy) >> 5) & 255);
                out[at++] = (byte) (((y >> 4) & 1) == 0 ? (int) (xx * 255 / xSpan) : vertical);
                out[at++] = (byte) ((((x >> 3) ^ (y >> 3)) & 1) == 0 ? 255 : ((x + y) & 1) * 96);
            }
        }
        return image;
    }
}
