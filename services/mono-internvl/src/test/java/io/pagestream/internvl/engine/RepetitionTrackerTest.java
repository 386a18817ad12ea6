package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RepetitionTrackerTest {

    @Test
    void firesOnTheTokenThatCompletesTheRequiredCopies() {
        int[] line = {5, 6, 7};
        int[] tokens = new int[40];
        tokens[0] = 1;
        tokens[1] = 2;
        for (int i = 2; i < tokens.length; i++) {
            tokens[i] = line[(i - 2) % 3];
        }
        RepetitionTracker tracker = new RepetitionTracker(new RepetitionGuard(8, 4, 10));
        assertEquals(2 + 4 * 3, firstFiring(tracker, tokens), "4 copies of a 3-token line (12 tokens ≥ 10)");
    }

    @Test
    void theSpanFloorSparesShortRepeats() {
        int[] tokens = {9, 9, 9, 9, 9, 9, 9, 9, 1, 2, 3};
        assertEquals(-1, firstFiring(new RepetitionTracker(new RepetitionGuard(4, 3, 16)), tokens));
        assertEquals(3, firstFiring(new RepetitionTracker(new RepetitionGuard(4, 3, 0)), tokens));
    }

    @Test
    void aBrokenRepeatStartsCountingAgain() {
        int[] tokens = {4, 5, 4, 5, 4, 5, 0, 4, 5, 4, 5};
        assertEquals(-1, firstFiring(new RepetitionTracker(new RepetitionGuard(4, 4, 0)), tokens));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RepetitionGuard(4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RepetitionGuard(-1, 2, 0));
    }

    /** Count of tokens when the tracker first fires, or −1. */
    private static int firstFiring(RepetitionTracker tracker, int[] tokens) {
        for (int count = 1; count <= tokens.length; count++) {
            if (tracker.accept(tokens, count)) {
                return count;
            }
        }
        return -1;
    }
}
