package io.pagestream.internvl.image;

import java.util.Objects;

/**
 * An 8-bit RGB raster, pixels row-major with the three channels interleaved (R, G, B).
 * Three bytes a pixel rather than a packed int keeps a 5000x5000 page at 75 MB.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        Objects.requireNonNull(pixels, "pixels");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative image size " + width + "x" + height);
        }
        long expected = 3L * width * height;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "an RGB image of " + width + "x" + height + " needs " + expected + " bytes, got " + pixels.length);
        }
    }

    public static RgbImage blank(int width, int height) {
        long bytes = 3L * width * height;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image " + width + "x" + height + " is too large for one array");
        }
        return new RgbImage(width, height, new byte[(int) bytes]);
    }

    /** Channel value 0..255 at (x, y); channel 0 is red. */
    public int sample(int x, int y, int channel) {
        return pixels[3 * (y * width + x) + channel] & 0xFF;
    }
}
