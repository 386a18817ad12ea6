package io.pagestream.internvl.reference;

/**
 * A linear layer {@code y = W·x (+ b)} with {@code W} stored row-major as {@code [out, in]}, as in the checkpoint.
 *
 * @param bias null when the layer has none
 */
record Linear(float[] weight, float[] bias, int out, int in) {
    Linear {
        if (weight.length != (long) out * in || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("weight of " + weight.length + " values and bias of "
                    + (bias == null ? "none" : bias.length) + " do not fit [" + out + ", " + in + "]");
        }
    }

    /** Sums in double, so that the reference's own rounding stays far below the differences it is meant to find. */
    float[] apply(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("input of " + x.length + " values, expected " + in);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double sum = bias == null ? 0 : bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                sum += (double) weight[row + i] * x[i];
            }
            y[o] = (float) sum;
        }
        return y;
    }
}
