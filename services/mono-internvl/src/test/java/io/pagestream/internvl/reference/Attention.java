package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.LlmConfig;

/** Causal grouped-query self-attention with the packed {@code wqkv} projection and the output projection. */
final class Attention {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final QkvLayout layout;
    private final Linear wqkv;
    private final Linear wo;

    Attention(LlmConfig llm, Linear wqkv, Linear wo) {
        this.heads = llm.numAttentionHeads();
        this.kvHeads = llm.numKeyValueHeads();
        this.headDim = llm.headDim();
        this.layout = QkvLayout.of(llm);
        this.wqkv = wqkv;
        this.wo = wo;
    }

    /**
     * Attends the new (already normalised) rows to everything cached plus themselves. Their keys and values are
     * appended to {@code cache} first, so that row i sees positions up to {@code start + i} and no further.
     */
    float[][] forward(float[][] normed, KvCache cache, double ropeBase) {
        int start = cache.length();
        float[][] queries = new float[normed.length][];
        for (int i = 0; i < normed.length; i++) {
            float[] qkv = wqkv.apply(normed[i]);
            float[] q = layout.queries(qkv, heads);
            float[] k = layout.keys(qkv, kvHeads);
            for (int h = 0; h < heads; h++) {
                Rope.rotate(q, h * headDim, headDim, start + i, ropeBase);
            }
            for (int h = 0; h < kvHeads; h++) {
                Rope.rotate(k, h * headDim, headDim, start + i, ropeBase);
            }
            cache.append(k, layout.values(qkv, kvHeads));
            queries[i] = q;
        }
        float[][] out = new float[normed.length][];
        for (int i = 0; i < normed.length; i++) {
            out[i] = wo.apply(attend(queries[i], cache, start + i + 1));
        }
        return out;
    }

    /** All heads of one query over the first {@code visible} cached positions, concatenated head-major. */
    private float[] attend(float[] query, KvCache cache, int visible) {
        double scale = 1 / Math.sqrt(headDim);
        float[] out = new float[heads * headDim];
        double[] weights = new double[visible];
        for (int h = 0; h < heads; h++) {
            int q = h * headDim;
            int kv = layout.kvHeadOf(h) * headDim;
            for (int p = 0; p < visible; p++) {
                float[] key = cache.key(p);
                double dot = 0;
                for (int d = 0; d < headDim; d++) {
                    dot += (double) query[q + d] * key[kv + d];
                }
                weights[p] = dot * scale;
            }
            Functions.softmax(weights, visible);
            for (int d = 0; d < headDim; d++) {
                double sum = 0;
                for (int p = 0; p < visible; p++) {
                    sum += weights[p] * cache.value(p)[kv + d];
                }
                out[q + d] = (float) sum;
            }
        }
        return out;
    }
}
