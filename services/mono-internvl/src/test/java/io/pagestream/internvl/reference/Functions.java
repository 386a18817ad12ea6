package io.pagestream.internvl.reference;

/** The element-wise functions and normalisations of the model, each computed in double and rounded once. */
final class Functions {
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private Functions() {}

    /** {@code x · rsqrt(mean(x²) + eps) · weight}. */
    static float[] rmsNorm(float[] x, float[] weight, double eps) {
        double sumSquares = 0;
        for (float v : x) {
            sumSquares += (double) v * v;
        }
        double scale = 1 / Math.sqrt(sumSquares / x.length + eps);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] * scale * weight[i]);
        }
        return y;
    }

    /** LayerNorm over the whole vector with the biased variance, as PyTorch's {@code nn.LayerNorm}. */
    static float[] layerNorm(float[] x, float[] weight, float[] bias, double eps) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double variance = 0;
        for (float v : x) {
            variance += (v - mean) * (v - mean);
        }
        variance /= x.length;
        double scale = 1 / Math.sqrt(variance + eps);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) ((x[i] - mean) * scale * weight[i] + bias[i]);
        }
        return y;
    }

    static float silu(float x) {
        return (float) (x / (1 + Math.exp(-x)));
    }

    /** The exact GELU, {@code x · Φ(x)}, not the tanh approximation. */
    static float gelu(float x) {
        return (float) (0.5 * x * (1 + Erf.erf(x * SQRT_HALF)));
    }

    /** Softmax of {@code scores[0, length)} in place, shifted by the maximum so that exp cannot overflow. */
    static void softmax(double[] scores, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, scores[i]);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            scores[i] = Math.exp(scores[i] - max);
            sum += scores[i];
        }
        for (int i = 0; i < length; i++) {
            scores[i] /= sum;
        }
    }
}
