package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.LlmConfig;

/**
 * Where each head lives in the rows of the packed {@code wqkv} weight. Rows come in one group per KV head: first the
 * query heads that share it, then its key head, then its value head, each {@code headDim} rows. The real model's
 * group is 512 rows: query heads 2h and 2h+1, key head h, value head h.
 */
record QkvLayout(int headDim, int queriesPerKvHead) {
    static QkvLayout of(LlmConfig llm) {
        return new QkvLayout(llm.headDim(), llm.queriesPerKvHead());
    }

    private int groupRows() {
        return (queriesPerKvHead + 2) * headDim;
    }

    /** The KV head that query head {@code queryHead} attends with. */
    int kvHeadOf(int queryHead) {
        return queryHead / queriesPerKvHead;
    }

    int queryRow(int queryHead, int d) {
        return kvHeadOf(queryHead) * groupRows() + (queryHead % queriesPerKvHead) * headDim + d;
    }

    int keyRow(int kvHead, int d) {
        return kvHead * groupRows() + queriesPerKvHead * headDim + d;
    }

    int valueRow(int kvHead, int d) {
        return kvHead * groupRows() + (queriesPerKvHead + 1) * headDim + d;
    }

    /** The query heads of a packed projection, concatenated head-major. */
    float[] queries(float[] qkv, int heads) {
        float[] q = new float[heads * headDim];
        for (int h = 0; h < heads; h++) {
            for (int d = 0; d < headDim; d++) {
                q[h * headDim + d] = qkv[queryRow(h, d)];
            }
        }
        return q;
    }

    float[] keys(float[] qkv, int kvHeads) {
        float[] k = new float[kvHeads * headDim];
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                k[h * headDim + d] = qkv[keyRow(h, d)];
            }
        }
        return k;
    }

    float[] values(float[] qkv, int kvHeads) {
        float[] v = new float[kvHeads * headDim];
        for (int h = 0; h < kvHeads; h++) {
            for (int d = 0; d < headDim; d++) {
                v[h * headDim + d] = qkv[valueRow(h, d)];
            }
        }
        return v;
    }
}
