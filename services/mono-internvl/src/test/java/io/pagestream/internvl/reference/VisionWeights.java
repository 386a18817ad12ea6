package io.pagestream.internvl.reference;

/**
 * The vision side's weights: the patch embedding and the {@code mlp1} projector.
 *
 * @param patchWeight         convolution kernel {@code [width, channels, patch, patch]}
 * @param positionEmbedding   {@code [1, 1 + side², width]}; the class token's row (index 0) is never used
 * @param projectorNormWeight LayerNorm {@code mlp1.0}
 * @param projectorIn         {@code mlp1.1}
 * @param projectorOut        {@code mlp1.3}
 */
record VisionWeights(
        float[] patchWeight,
        float[] patchBias,
        float[] positionEmbedding,
        float[] projectorNormWeight,
        float[] projectorNormBias,
        Linear projectorIn,
        Linear projectorOut) {}
