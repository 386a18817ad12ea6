package io.pagestream.internvl.reference;

/**
 * Merges each 2×2 block of patch tokens into one token of four times the width (downsample ratio 0.5). Within the
 * merged token the block is laid out top-left, top-right, bottom-left, bottom-right. {@code v2} orders the merged
 * tokens row-major; {@code v1} column-major, the transposed order the first InternVL releases produced.
 */
final class PixelShuffle {
    private PixelShuffle() {}

    /** {@code tokens}: {@code [side²][width]}, row-major over the patch grid; returns {@code [(side/2)²][4·width]}. */
    static float[][] apply(float[][] tokens, int side, String version) {
        if (side % 2 != 0 || tokens.length != side * side) {
            throw new IllegalArgumentException(
                    tokens.length + " tokens do not form an even square grid of side " + side);
        }
        boolean columnMajor =
                switch (version) {
                    case "v1" -> true;
                    case "v2" -> false;
                    default -> throw new IllegalArgumentException("unknown ps_version " + version);
                };
        int width = tokens[0].length;
        int half = side / 2;
        float[][] out = new float[half * half][4 * width];
        for (int r2 = 0; r2 < half; r2++) {
            for (int c2 = 0; c2 < half; c2++) {
                float[] merged = out[columnMajor ? c2 * half + r2 : r2 * half + c2];
                for (int dr = 0; dr < 2; dr++) {
                    for (int dc = 0; dc < 2; dc++) {
                        float[] source = tokens[(2 * r2 + dr) * side + 2 * c2 + dc];
                        System.arraycopy(source, 0, merged, (dr * 2 + dc) * width, width);
                    }
                }
            }
        }
        return out;
    }
}
