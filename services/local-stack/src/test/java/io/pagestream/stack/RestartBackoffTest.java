package io.pagestream.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void theWaitDoublesFromTheFirstDelayUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff(policy(100, Duration.ofMinutes(5)));
        List<Long> waits = new ArrayList<>();
        Instant at = T0;
        for (int death = 0; death < 7; death++) {
            waits.add(backoff.afterRun(at, at.plusSeconds(1)).orElseThrow().toSeconds());
            at = at.plusSeconds(60);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), waits);
    }

    @Test
    void aRunThatLastedStableAfterStartsTheWaitOver() {
        RestartBackoff backoff = new RestartBackoff(policy(100, Duration.ofMinutes(5)));
        backoff.afterRun(T0, T0.plusSeconds(1));
        backoff.afterRun(T0.plusSeconds(10), T0.plusSeconds(11));
        assertEquals(Optional.of(Duration.ofSeconds(4)), backoff.afterRun(T0.plusSeconds(20), T0.plusSeconds(21)));

        assertEquals(
                Optional.of(Duration.ofSeconds(1)),
                backoff.afterRun(T0.plusSeconds(30), T0.plusSeconds(90)),
                "up for stableAfter (60 s)");
        assertEquals(Optional.of(Duration.ofSeconds(2)), backoff.afterRun(T0.plusSeconds(100), T0.plusSeconds(101)));
    }

    @Test
    void theQuickDeathThatReachesTheLimitWithinTheWindowEndsIt() {
        RestartBackoff backoff = new RestartBackoff(policy(3, Duration.ofMinutes(5)));
        assertEquals(Optional.of(Duration.ofSeconds(1)), backoff.afterRun(T0, T0.plusSeconds(5)));
        assertEquals(
                Optional.of(Duration.ofSeconds(1)),
                backoff.afterRun(T0.plusSeconds(10), T0.plusSeconds(80)),
                "a stable run is no quick death");
        assertEquals(Optional.of(Duration.ofSeconds(2)), backoff.afterRun(T0.plusSeconds(90), T0.plusSeconds(95)));
        assertEquals(Optional.empty(), backoff.afterRun(T0.plusSeconds(100), T0.plusSeconds(105)), "third quick death");
    }

    @Test
    void quickDeathsOlderThanTheWindowNoLongerCount() {
        RestartBackoff backoff = new RestartBackoff(policy(3, Duration.ofMinutes(5)));
        backoff.afterRun(T0, T0.plusSeconds(5));
        backoff.afterRun(T0.plusSeconds(10), T0.plusSeconds(15));
        Instant later = T0.plusSeconds(5 + 300);
        assertEquals(
                Optional.of(Duration.ofSeconds(4)),
                backoff.afterRun(later.minusSeconds(1), later),
                "the first death left the window as this one came");
        assertEquals(Optional.empty(), backoff.afterRun(later.plusSeconds(1), later.plusSeconds(2)));
    }

    @Test
    void aPolicyMustBeAbleToRestart() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RestartPolicy(
                        Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1), 5, Duration.ofMinutes(5)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RestartPolicy(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        0,
                        Duration.ofMinutes(5)));
    }

    /** 1 s doubling to 30 s, stable after a minute: {@link RestartPolicy#DEFAULT}'s delays. */
    private static RestartPolicy policy(int giveUpAfter, Duration window) {
        return new RestartPolicy(
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), giveUpAfter, window);
    }
}
