package io.pagestream.internvl.onnx;

/**
 * The cos/sin tables GroupQueryAttention reads for {@code do_rotary}: [positions, headDim / 2], entry (p, i) =
 * cos/sin(p · θ^(−2i / headDim)). NeoX-style (non-interleaved) rotation pairs dimension i with i + headDim / 2, which
 * is what the model's rotate_half does. Angles are computed in double; rounding to the stored type happens once.
 *
 * <p>Dynamic NTK scaling changes θ only once a sequence is longer than max_position_embeddings, so tables built with
 * the plain θ for exactly that many positions are exact for every sequence the engine accepts; the engine refuses
 * longer ones rather than silently using a different base.
 */
public record RopeCache(int positions, int half, float[] cos, float[] sin) {
    public static RopeCache of(double theta, int headDim, int positions) {
        int half = headDim / 2;
        float[] cos = new float[positions * half];
        float[] sin = new float[positions * half];
        for (int i = 0; i < half; i++) {
            double invFreq = Math.pow(theta, -2.0 * i / headDim);
            for (int p = 0; p < positions; p++) {
                double angle = p * invFreq;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        return new RopeCache(positions, half, cos, sin);
    }
}
