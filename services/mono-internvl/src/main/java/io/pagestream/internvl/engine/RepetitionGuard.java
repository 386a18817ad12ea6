package io.pagestream.internvl.engine;

/**
 * Stops a generation caught in a loop, the typical OCR failure (the model re-reads one line until it runs out of
 * tokens). It fires when the generated tokens end with {@code minRepeats} consecutive copies of one block of at most
 * {@code maxPeriod} tokens and that periodic tail spans at least {@code minSpan} tokens. The span floor keeps short
 * legitimate repeats (a row of table rules, a dotted leader) from stopping the page. Tokens already generated are
 * kept; the result says {@link FinishReason#REPETITION}.
 *
 * @param maxPeriod  longest repeated block looked for, in tokens; 0 disables the guard
 * @param minRepeats copies of the block needed, at least 2
 * @param minSpan    tokens the periodic tail must cover
 */
public record RepetitionGuard(int maxPeriod, int minRepeats, int minSpan) {
    /** No guard. */
    public static final RepetitionGuard NONE = new RepetitionGuard(0, 2, 0);
    /** A repeated line of up to 128 tokens, seen 6 times and covering 96 tokens or more. */
    public static final RepetitionGuard OCR = new RepetitionGuard(128, 6, 96);

    public RepetitionGuard {
        if (maxPeriod < 0 || minRepeats < 2 || minSpan < 0) {
            throw new IllegalArgumentException("need maxPeriod >= 0, minRepeats >= 2, minSpan >= 0, got " + maxPeriod
                    + ", " + minRepeats + ", " + minSpan);
        }
    }

    public boolean enabled() {
        return maxPeriod > 0;
    }
}
