package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.LlmConfig;

/** One decoder layer: pre-norm attention, then pre-norm FFN routed per token to the text or the visual expert. */
final class DecoderLayer {
    private final LayerWeights weights;
    private final Attention attention;
    private final double eps;

    DecoderLayer(LlmConfig llm, LayerWeights weights) {
        this.weights = weights;
        this.attention = new Attention(llm, weights.wqkv(), weights.wo());
        this.eps = llm.rmsNormEps();
    }

    /** {@code visual[i]} sends row i to {@code feed_forward_ve}; the rows' keys and values are added to the cache. */
    float[][] forward(float[][] x, boolean[] visual, KvCache cache, double ropeBase) {
        float[][] normed = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            normed[i] = Functions.rmsNorm(x[i], weights.attentionNorm(), eps);
        }
        float[][] attended = attention.forward(normed, cache, ropeBase);
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            float[] h = add(x[i], attended[i]);
            float[] y = Functions.rmsNorm(h, weights.ffnNorm(), eps);
            out[i] = add(h, (visual[i] ? weights.visual() : weights.text()).apply(y));
        }
        return out;
    }

    private static float[] add(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}
