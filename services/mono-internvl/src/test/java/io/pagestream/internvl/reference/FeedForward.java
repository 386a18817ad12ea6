package io.pagestream.internvl.reference;

/** One SwiGLU expert, {@code w2(silu(w1·y) ⊙ (w3·y))}; the text and the visual FFN have this same form. */
record FeedForward(Linear w1, Linear w2, Linear w3) {
    float[] apply(float[] y) {
        float[] gate = w1.apply(y);
        float[] up = w3.apply(y);
        float[] product = new float[gate.length];
        for (int i = 0; i < gate.length; i++) {
            product[i] = Functions.silu(gate[i]) * up[i];
        }
        return w2.apply(product);
    }
}
