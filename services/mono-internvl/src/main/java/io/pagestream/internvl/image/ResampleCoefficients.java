package io.pagestream.internvl.image;

/**
 * Fixed-point filter taps for resampling one axis from {@code inSize} to {@code outSize} samples, computed the way
 * Pillow does for 8-bit images so results match it bit for bit.
 *
 * <p>Output sample {@code o} reads {@code counts[o]} inputs starting at {@code starts[o]}, with integer weights
 * {@code weights[o * kernelSize + k]} scaled by 2^{@link #PRECISION_BITS}. Every step below mirrors Pillow's double
 * arithmetic in the same order, since a one-ulp change in a weight can flip a rounded pixel.
 */
record ResampleCoefficients(int kernelSize, int[] starts, int[] counts, int[] weights) {

    /** Pillow's 8-bit precision: 32 bits less 8 for the sample and 2 of headroom for negative lobes. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    /** The Keys cubic Pillow calls BICUBIC (a = -0.5); support 2. */
    private static final double CUBIC_SUPPORT = 2.0;

    static ResampleCoefficients bicubic(int inSize, int outSize) {
        if (inSize < 1 || outSize < 1) {
            throw new IllegalArgumentException("cannot resample " + inSize + " samples to " + outSize);
        }
        double scale = (double) inSize / outSize;
        // When shrinking, the kernel is stretched by the scale so every input contributes (antialiasing).
        double filterScale = Math.max(scale, 1.0);
        double support = CUBIC_SUPPORT * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        int[] starts = new int[outSize];
        int[] counts = new int[outSize];
        int[] weights = new int[outSize * kernelSize];
        double[] taps = new double[kernelSize];
        double inverseScale = 1.0 / filterScale;
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int first = Math.max((int) (center - support + 0.5), 0);
            int end = Math.min((int) (center + support + 0.5), inSize);
            int count = end - first;
            double total = 0.0;
            for (int k = 0; k < count; k++) {
                taps[k] = cubic((k + first - center + 0.5) * inverseScale);
                total += taps[k];
            }
            for (int k = 0; k < count; k++) {
                double normalised = total != 0.0 ? taps[k] / total : taps[k];
                weights[o * kernelSize + k] = toFixedPoint(normalised);
            }
            starts[o] = first;
            counts[o] = count;
        }
        return new ResampleCoefficients(kernelSize, starts, counts, weights);
    }

    /** Adds a signed half and truncates toward zero (round half away from zero), as Pillow does. */
    private static int toFixedPoint(double weight) {
        double scaled = weight * (1 << PRECISION_BITS);
        return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
    }

    private static double cubic(double x) {
        double t = Math.abs(x);
        if (t < 1.0) {
            return (1.5 * t - 2.5) * t * t + 1;
        }
        if (t < 2.0) {
            return (((t - 5) * t + 8) * t - 4) * -0.5;
        }
        return 0.0;
    }

    /** Converts an accumulated fixed-point sum to an 8-bit sample, clamping overshoot from the negative lobes. */
    static int toSample(int accumulator) {
        int value = accumulator >> PRECISION_BITS;
        return value < 0 ? 0 : Math.min(value, 255);
    }

    /** The accumulator's start value: one half, so the final shift rounds to nearest. */
    static int rounding() {
        return 1 << (PRECISION_BITS - 1);
    }
}
