package io.pagestream.internvl.engine;

/**
 * Applies a {@link RepetitionGuard} to one sequence incrementally: for each period p it keeps how many trailing
 * tokens equal the token p before them, so each new token costs O(maxPeriod) and no rescan.
 */
final class RepetitionTracker {
    private final RepetitionGuard guard;
    private final int[] runs;

    RepetitionTracker(RepetitionGuard guard) {
        this.guard = guard;
        this.runs = new int[guard.maxPeriod() + 1];
    }

    /** Takes token {@code tokens[count − 1]}; true when the tail is now a loop by the guard's rule. */
    boolean accept(int[] tokens, int count) {
        int last = count - 1;
        boolean loop = false;
        for (int period = 1; period <= Math.min(guard.maxPeriod(), last); period++) {
            runs[period] = tokens[last] == tokens[last - period] ? runs[period] + 1 : 0;
            int span = runs[period] + period;
            if (span >= (long) period * guard.minRepeats() && span >= guard.minSpan()) {
                loop = true;
            }
        }
        return loop;
    }
}
