package io.pagestream.internvl.onnx;

/**
 * Bicubic resampling of a [side, side, channels] grid as PyTorch's {@code interpolate(mode="bicubic",
 * align_corners=False)} does it, which is how InternViT resizes its position embedding: source coordinate
 * (dst + 0.5) · in / out − 0.5 without clamping, Keys' kernel with a = −0.75, taps outside the grid clamped to the
 * edge, rows then columns.
 */
public final class Bicubic {
    private static final double A = -0.75;

    private Bicubic() {}

    public static float[] resize(float[] grid, int side, int channels, int newSide) {
        float[] rows = new float[newSide * side * channels];
        for (int y = 0; y < newSide; y++) {
            Taps taps = taps(y, side, newSide);
            for (int x = 0; x < side; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int t = 0; t < 4; t++) {
                        sum += taps.weights[t] * grid[(taps.index[t] * side + x) * channels + c];
                    }
                    rows[(y * side + x) * channels + c] = (float) sum;
                }
            }
        }
        float[] out = new float[newSide * newSide * channels];
        for (int x = 0; x < newSide; x++) {
            Taps taps = taps(x, side, newSide);
            for (int y = 0; y < newSide; y++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int t = 0; t < 4; t++) {
                        sum += taps.weights[t] * rows[(y * side + taps.index[t]) * channels + c];
                    }
                    out[(y * newSide + x) * channels + c] = (float) sum;
                }
            }
        }
        return out;
    }

    private record Taps(int[] index, double[] weights) {}

    private static Taps taps(int dst, int in, int out) {
        double src = (dst + 0.5) * in / out - 0.5;
        int floor = (int) Math.floor(src);
        double t = src - floor;
        int[] index = new int[4];
        double[] weights = new double[4];
        for (int k = 0; k < 4; k++) {
            index[k] = Math.clamp(floor - 1 + k, 0, in - 1);
            weights[k] = kernel(Math.abs(t - (k - 1)));
        }
        return new Taps(index, weights);
    }

    private static double kernel(double x) {
        if (x <= 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
        return 0;
    }
}
