package io.pagestream.internvl.checkpoint;

/**
 * The {@code vision_config} section. Mono-InternVL has no vision encoder, only a patch embedding, so these few values
 * are all that shape the vision side.
 *
 * @param modelType   {@code model_type}; only {@code intern_vit_patch} is supported
 * @param imageSize   {@code image_size}: tile edge in pixels
 * @param patchSize   {@code patch_size}: patch edge in pixels (the convolution's kernel and stride)
 * @param hiddenSize  {@code hidden_size}: width of a patch embedding
 * @param numChannels {@code num_channels}: input channels (3 when the key is absent, as in the upstream config class)
 */
public record VisionConfig(String modelType, int imageSize, int patchSize, int hiddenSize, int numChannels) {
    public static final String MODEL_TYPE = "intern_vit_patch";

    /** Patches along one edge of a tile. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patches in one tile, without the class token. */
    public int patchCount() {
        return patchesPerSide() * patchesPerSide();
    }
}
