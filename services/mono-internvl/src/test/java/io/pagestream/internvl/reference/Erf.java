package io.pagestream.internvl.reference;

/**
 * The error function to double precision, which Java's standard library lacks: the Maclaurin series where it
 * converges quickly, the continued fraction of erfc in the tails where the series would lose digits to cancellation.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SERIES_LIMIT = 3;
    private static final int SERIES_TERMS = 60;
    private static final int FRACTION_DEPTH = 80;

    private Erf() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double value = a <= SERIES_LIMIT ? series(a) : 1 - erfcFraction(a);
        return Math.copySign(value, x);
    }

    /** erf(x) = 2/√π · Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)); 60 terms reach double precision for |x| ≤ 3. */
    private static double series(double x) {
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int n = 1; n < SERIES_TERMS; n++) {
            term *= -x2 / n;
            sum += term / (2 * n + 1);
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the bottom up. */
    private static double erfcFraction(double x) {
        double tail = x;
        for (int k = FRACTION_DEPTH; k >= 1; k--) {
            tail = x + (k / 2.0) / tail;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / tail;
    }
}
