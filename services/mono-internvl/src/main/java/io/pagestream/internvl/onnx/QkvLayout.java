package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.LlmConfig;

/**
 * Row order of the packed {@code wqkv} weight. InternLM2 stores it grouped by KV head ({@code b q (h gs d)}, spec 3.6):
 * for each KV head, its query heads, then its key, then its value. GroupQueryAttention's packed input wants all query
 * heads, then all keys, then all values. Reordering the weight's rows at conversion time makes the single MatMul
 * produce that layout directly.
 */
public final class QkvLayout {
    private QkvLayout() {}

    /** {@code result[i]} is the checkpoint row that becomes row {@code i} of the [Q | K | V] weight. */
    public static int[] sourceRows(LlmConfig llm) {
        int d = llm.headDim();
        int group = llm.queriesPerKvHead();
        int stride = (group + 2) * d;
        int[] rows = new int[llm.qkvRows()];
        int i = 0;
        for (int q = 0; q < llm.numAttentionHeads(); q++) {
            for (int e = 0; e < d; e++) {
                rows[i++] = (q / group) * stride + (q % group) * d + e;
            }
        }
        for (int part = 0; part < 2; part++) {
            for (int h = 0; h < llm.numKeyValueHeads(); h++) {
                for (int e = 0; e < d; e++) {
                    rows[i++] = h * stride + (group + part) * d + e;
                }
            }
        }
        return rows;
    }
}
