package io.pagestream.internvl.engine;

/**
 * How the next token is chosen. Temperature 0 is greedy decoding (the default, deterministic). Otherwise tokens are
 * drawn from softmax(logits / temperature) restricted to the smallest set whose probability reaches {@code topP},
 * with a random stream seeded per request, so a request samples the same tokens whatever it is batched with.
 *
 * @param temperature 0 for greedy, else positive
 * @param topP        nucleus mass in (0, 1]; 1 keeps the whole vocabulary
 * @param seed        seed of this request's random stream
 */
public record SamplingOptions(double temperature, double topP, long seed) {
    public static final SamplingOptions GREEDY = new SamplingOptions(0, 1, 0);

    public SamplingOptions {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    public static SamplingOptions of(double temperature, double topP, long seed) {
        return new SamplingOptions(temperature, topP, seed);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
