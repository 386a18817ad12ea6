package io.pagestream.internvl.random;

/**
 * How one tensor's values are drawn: {@code center + uniform noise with standard deviation std}, each row then
 * multiplied by a per-row factor when {@code rowScaleSigma} is positive.
 *
 * @param center        the mean; 1 for norm weights so that they start near the identity, 0 otherwise
 * @param std           standard deviation of the uniform noise
 * @param rowScaleSigma σ of the log-normal factor {@code exp(σ·z − σ²)} each row is multiplied by; 0 for none.
 *                      The {@code −σ²} keeps the mean square of the factor at 1, so the tensor's overall scale stays
 *                      {@code std}
 */
public record TensorInit(double center, double std, double rowScaleSigma) {
    public TensorInit {
        if (std < 0 || rowScaleSigma < 0) {
            throw new IllegalArgumentException("negative std " + std + " or row scale sigma " + rowScaleSigma);
        }
    }

    public static TensorInit noise(double std) {
        return new TensorInit(0, std, 0);
    }

    public static TensorInit aroundOne(double std) {
        return new TensorInit(1, std, 0);
    }
}
