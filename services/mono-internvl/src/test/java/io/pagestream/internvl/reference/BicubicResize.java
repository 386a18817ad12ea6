package io.pagestream.internvl.reference;

/**
 * Resizes a channels-last grid the way PyTorch's {@code F.interpolate(mode="bicubic", align_corners=False)} does:
 * Keys' cubic kernel with a = −0.75, sample positions {@code (out + 0.5) · in/out − 0.5} (not clamped), and taps
 * outside the grid replaced by the nearest edge value. No antialiasing, also when shrinking.
 */
final class BicubicResize {
    private static final double A = -0.75;

    private BicubicResize() {}

    /** {@code src} is {@code [inH][inW][channels]} flattened; returns {@code [outH][outW][channels]}. */
    static float[] resize(float[] src, int inH, int inW, int channels, int outH, int outW) {
        float[] dst = new float[outH * outW * channels];
        for (int y = 0; y < outH; y++) {
            Taps rows = Taps.of(y, inH, outH);
            for (int x = 0; x < outW; x++) {
                Taps cols = Taps.of(x, inW, outW);
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            sum += rows.weights[i]
                                    * cols.weights[j]
                                    * src[(rows.indices[i] * inW + cols.indices[j]) * channels + c];
                        }
                    }
                    dst[(y * outW + x) * channels + c] = (float) sum;
                }
            }
        }
        return dst;
    }

    /** The four source indices (edge-clamped) and kernel weights for one output index along one axis. */
    private record Taps(int[] indices, double[] weights) {
        static Taps of(int out, int inSize, int outSize) {
            double source = (out + 0.5) * inSize / outSize - 0.5;
            int floor = (int) Math.floor(source);
            double t = source - floor;
            int[] indices = new int[4];
            for (int k = 0; k < 4; k++) {
                indices[k] = Math.clamp(floor - 1 + k, 0, inSize - 1);
            }
            double[] weights = {far(t + 1), near(t), near(1 - t), far(2 - t)};
            return new Taps(indices, weights);
        }

        /** Kernel for distances |x| ≤ 1. */
        private static double near(double x) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }

        /** Kernel for distances 1 < |x| < 2. */
        private static double far(double x) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
    }
}
