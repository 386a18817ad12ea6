package io.pagestream.internvl.checkpoint;

/**
 * A Mono-InternVL {@code config.json}. Holds what the file says; {@link ConfigValidator} decides whether this engine
 * can run it, so a config can be inspected (or written back) before it is judged.
 *
 * @param selectLayer      {@code select_layer}; -1 (the last, and only, vision layer)
 * @param forceImageSize   {@code force_image_size}, or null when absent; the tile size used for preprocessing
 * @param downsampleRatio  {@code downsample_ratio}: pixel-shuffle scale; 0.5 merges 2×2 patches into one token
 * @param template         {@code template}: the conversation template name
 * @param psVersion        {@code ps_version}: pixel-shuffle token order, {@code v1} or {@code v2}
 */
public record ModelConfig(
        VisionConfig vision,
        LlmConfig llm,
        int selectLayer,
        Integer forceImageSize,
        double downsampleRatio,
        String template,
        boolean dynamicImageSize,
        boolean useThumbnail,
        String psVersion,
        int minDynamicPatch,
        int maxDynamicPatch) {

    /** Tile edge in pixels fed to the patch embedding. */
    public int tileSize() {
        return forceImageSize != null ? forceImageSize : vision.imageSize();
    }

    /** Patches merged along each axis by the pixel shuffle: 2 for ratio 0.5. */
    public int shuffleFactor() {
        return (int) Math.round(1 / downsampleRatio);
    }

    /** Visual tokens one tile contributes to the prompt: (image / patch)² · ratio². */
    public int tokensPerTile() {
        return vision.patchCount() / (shuffleFactor() * shuffleFactor());
    }

    /**
     * The most tiles one image becomes: the largest grid ({@code maxDynamicPatch}, or 1 without dynamic sizing), plus
     * the thumbnail when that grid has more than one tile.
     */
    public int maxImageTiles() {
        if (!dynamicImageSize) {
            return 1;
        }
        return maxDynamicPatch + (useThumbnail && maxDynamicPatch > 1 ? 1 : 0);
    }

    /** Width of a pixel-shuffled token, the projector's input: vision hidden / ratio². */
    public int projectorInputSize() {
        return vision.hiddenSize() * shuffleFactor() * shuffleFactor();
    }
}
