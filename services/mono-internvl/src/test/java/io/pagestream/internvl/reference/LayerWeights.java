package io.pagestream.internvl.reference;

/**
 * One decoder layer's weights.
 *
 * @param text   {@code feed_forward}: text tokens in prefill, every token in decode steps
 * @param visual {@code feed_forward_ve}: image-context tokens in prefill
 */
record LayerWeights(
        float[] attentionNorm, Linear wqkv, Linear wo, float[] ffnNorm, FeedForward text, FeedForward visual) {}
