package io.pagestream.internvl.image;

/**
 * torchvision's {@code ToTensor} then {@code Normalize} with the ImageNet statistics, in float32 like torch:
 * {@code (p / 255 - mean) / std}. A byte has 256 values, so each channel's results are tabulated once.
 */
final class TileNormalizer {

    // Narrowed from double like torch.as_tensor(float list, dtype=float32) does, not parsed as float literals.
    private static final float[] MEAN = {(float) 0.485, (float) 0.456, (float) 0.406};
    private static final float[] STD = {(float) 0.229, (float) 0.224, (float) 0.225};
    private static final float[][] TABLE = table();

    private TileNormalizer() {}

    static float normalize(int channel, int sample) {
        return TABLE[channel][sample];
    }

    /** Writes the size x size tile whose top-left corner is (left, top) channels-first at {@code offset}. */
    static void writeTile(RgbImage image, int left, int top, int size, float[] out, int offset) {
        int plane = size * size;
        byte[] pixels = image.pixels();
        for (int y = 0; y < size; y++) {
            int in = 3 * ((top + y) * image.width() + left);
            int at = offset + y * size;
            for (int x = 0; x < size; x++, in += 3, at++) {
                out[at] = TABLE[0][pixels[in] & 0xFF];
                out[at + plane] = TABLE[1][pixels[in + 1] & 0xFF];
                out[at + 2 * plane] = TABLE[2][pixels[in + 2] & 0xFF];
            }
        }
    }

    private static float[][] table() {
        float[][] table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                table[c][p] = (p / 255f - MEAN[c]) / STD[c];
            }
        }
        return table;
    }
}
