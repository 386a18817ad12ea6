package io.pagestream.ingest.health;

import java.time.Duration;

/**
 * How ingest's background parts are restarted and when they count as stuck.
 *
 * @param backoff     the wait before the first restart after a death; it doubles with every further death within
 *                    {@code window}, up to {@code maxBackoff}
 * @param maxBackoff  the longest wait before a restart
 * @param maxRestarts restarts allowed within {@code window}; one death more and the part is given up (liveness DOWN,
 *                    so Kubernetes restarts the pod)
 * @param window      the span over which deaths are counted
 * @param stuckAfter  a running part that showed no progress for this long is treated as dead; above every timeout a
 *                    part's own calls have (the publish timeout)
 */
public record RestartPolicy(
        Duration backoff, Duration maxBackoff, int maxRestarts, Duration window, Duration stuckAfter) {

    public RestartPolicy {
        if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException(
                    "restart backoff " + backoff + " must be within [0, " + maxBackoff + "]");
        }
        if (maxRestarts < 0 || !window.isPositive() || !stuckAfter.isPositive()) {
            throw new IllegalArgumentException("max restarts must be >= 0, window and stuck-after positive: "
                    + maxRestarts + ", " + window + ", " + stuckAfter);
        }
    }

    /** The defaults of {@code pagestream.ingest.health.*}, for the bench and tests that build a service by hand. */
    public static RestartPolicy defaults() {
        return new RestartPolicy(
                Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(10), Duration.ofSeconds(90));
    }

    /** The wait before restarting a part that died {@code deaths} times within the window (this death included). */
    Duration backoffAfter(int deaths) {
        Duration wait = backoff;
        for (int i = 1; i < deaths && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
