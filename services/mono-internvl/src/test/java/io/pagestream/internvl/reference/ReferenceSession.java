package io.pagestream.internvl.reference;

import java.util.ArrayList;
import java.util.List;

/** One sequence and its KV cache: a prefill, then any number of single-token decode steps. Not thread-safe. */
public final class ReferenceSession {
    private final ReferenceModel model;
    private final List<KvCache> caches = new ArrayList<>();

    ReferenceSession(ReferenceModel model) {
        this.model = model;
        for (int i = 0; i < model.layers().size(); i++) {
            caches.add(new KvCache());
        }
    }

    /** Tokens processed so far. */
    public int length() {
        return caches.getFirst().length();
    }

    /** Logits {@code [ids.length][vocab]} for every new position. */
    public float[][] prefill(int[] ids, float[][] imageRows) {
        int[] all = new int[ids.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return prefill(ids, imageRows, all);
    }

    /**
     * Runs the new tokens and returns logits only at {@code positions} (indices into {@code ids}): the LM head over
     * a 92 k vocabulary at hundreds of image positions would dominate the time and is rarely looked at. Image
     * positions are routed to the visual FFN. {@code imageRows} may be null for text.
     */
    public float[][] prefill(int[] ids, float[][] imageRows, int[] positions) {
        InputEmbedder.Embedded input = model.embed(ids, imageRows);
        float[][] hidden = run(input.rows(), input.visual());
        float[][] logits = new float[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            logits[i] = model.logits(hidden[positions[i]]);
        }
        return logits;
    }

    /**
     * One decode step. The token is looked up in the embedding table whatever its id (a generated
     * {@code <IMG_CONTEXT>} has no image row) and goes through the text FFN, as upstream decodes with a cache.
     */
    public float[] decode(int id) {
        float[][] row = {model.tokenEmbedding(id)};
        return model.logits(run(row, new boolean[1])[0]);
    }

    private float[][] run(float[][] rows, boolean[] visual) {
        double ropeBase = Rope.base(model.config().llm(), length() + rows.length);
        float[][] x = rows;
        for (int layer = 0; layer < caches.size(); layer++) {
            x = model.layers().get(layer).forward(x, visual, caches.get(layer), ropeBase);
        }
        return x;
    }
}
