package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.ModelConfig;

/**
 * Image tiles to projector rows: patch embedding, position embedding, pixel shuffle, {@code mlp1}. There is no
 * vision transformer in Mono-InternVL; the class token is prepended and dropped upstream, so it is skipped here.
 */
final class VisionEncoder {
    private static final double PROJECTOR_NORM_EPS = 1e-5;

    private final VisionWeights weights;
    private final int width;
    private final int patch;
    private final int channels;
    private final int storedSide;
    private final String psVersion;

    VisionEncoder(ModelConfig config, VisionWeights weights) {
        this.weights = weights;
        this.width = config.vision().hiddenSize();
        this.patch = config.vision().patchSize();
        this.channels = config.vision().numChannels();
        this.storedSide = config.vision().patchesPerSide();
        this.psVersion = config.psVersion();
    }

    /**
     * {@code pixels} is {@code [tiles, channels, tileSize, tileSize]}. Returns {@code [tiles · tokens per tile,
     * hidden]} in tile order. A tile size other than the config's resamples the position embedding.
     */
    float[][] encode(float[] pixels, int tiles, int tileSize) {
        if (tileSize % (2 * patch) != 0 || pixels.length != (long) tiles * channels * tileSize * tileSize) {
            throw new IllegalArgumentException(pixels.length + " pixel values are not " + tiles + " tiles of "
                    + channels + "×" + tileSize + "² with a side divisible by twice the patch size " + patch);
        }
        int side = tileSize / patch;
        float[] position = positionGrid(side);
        int perTile = side * side / 4;
        float[][] rows = new float[tiles * perTile][];
        for (int tile = 0; tile < tiles; tile++) {
            float[][] tokens = patchEmbed(pixels, tile, tileSize);
            for (int t = 0; t < tokens.length; t++) {
                for (int c = 0; c < width; c++) {
                    tokens[t][c] += position[t * width + c];
                }
            }
            float[][] merged = PixelShuffle.apply(tokens, side, psVersion);
            for (int t = 0; t < perTile; t++) {
                rows[tile * perTile + t] = project(merged[t]);
            }
        }
        return rows;
    }

    /** Stride-{@code patch} convolution of one tile: {@code [side²][width]}, patches row-major. */
    private float[][] patchEmbed(float[] pixels, int tile, int tileSize) {
        int side = tileSize / patch;
        int kernel = channels * patch * patch;
        float[][] tokens = new float[side * side][width];
        for (int pr = 0; pr < side; pr++) {
            for (int pc = 0; pc < side; pc++) {
                for (int o = 0; o < width; o++) {
                    double sum = weights.patchBias()[o];
                    for (int ch = 0; ch < channels; ch++) {
                        for (int ky = 0; ky < patch; ky++) {
                            int pixelRow =
                                    ((tile * channels + ch) * tileSize + pr * patch + ky) * tileSize + pc * patch;
                            int weightRow = o * kernel + (ch * patch + ky) * patch;
                            for (int kx = 0; kx < patch; kx++) {
                                sum += (double) weights.patchWeight()[weightRow + kx] * pixels[pixelRow + kx];
                            }
                        }
                    }
                    tokens[pr * side + pc][o] = (float) sum;
                }
            }
        }
        return tokens;
    }

    /** The stored position grid without the class row, resampled to {@code side × side} when it differs. */
    private float[] positionGrid(int side) {
        float[] stored = new float[storedSide * storedSide * width];
        System.arraycopy(weights.positionEmbedding(), width, stored, 0, stored.length);
        if (side == storedSide) {
            return stored;
        }
        return BicubicResize.resize(stored, storedSide, storedSide, width, side, side);
    }

    /** {@code mlp1}: LayerNorm, Linear, exact GELU, Linear. */
    private float[] project(float[] token) {
        float[] normed = Functions.layerNorm(
                token, weights.projectorNormWeight(), weights.projectorNormBias(), PROJECTOR_NORM_EPS);
        float[] hidden = weights.projectorIn().apply(normed);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = Functions.gelu(hidden[i]);
        }
        return weights.projectorOut().apply(hidden);
    }
}
