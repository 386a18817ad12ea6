package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.RopeScaling;

/** Rotary position embedding, NeoX style (the two halves of a head are rotated as pairs), with HF's dynamic NTK. */
final class Rope {
    private Rope() {}

    /**
     * The base for a sequence whose total length (cached plus new tokens) is {@code totalLength}. HF's dynamic NTK
     * rescales it only beyond {@code max_position_embeddings}, from the current total length, so every step past
     * that limit uses a slightly larger base than the one before, while keys already cached keep their rotation.
     */
    static double base(LlmConfig llm, int totalLength) {
        RopeScaling scaling = llm.ropeScaling();
        int limit = llm.maxPositionEmbeddings();
        if (scaling == null || totalLength <= limit) {
            return llm.ropeTheta();
        }
        double factor = scaling.factor();
        int dim = llm.headDim();
        return llm.ropeTheta() * Math.pow(factor * totalLength / limit - (factor - 1), (double) dim / (dim - 2));
    }

    /**
     * Rotates one head, {@code v[offset, offset + headDim)}, in place to {@code position}: element i of the first
     * half pairs with element i of the second half, at angle {@code position · base^(−2i/headDim)}.
     */
    static void rotate(float[] v, int offset, int headDim, int position, double base) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            double angle = position * Math.pow(base, -2.0 * i / headDim);
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            double first = v[offset + i];
            double second = v[offset + half + i];
            v[offset + i] = (float) (first * cos - second * sin);
            v[offset + half + i] = (float) (second * cos + first * sin);
        }
    }
}
