package io.pagestream.stack;

import java.time.Duration;
import java.util.Objects;

/**
 * When a supervised service is started again after it exits: {@code firstDelay} after its first death, the wait
 * doubling at each further death up to {@code maxDelay}, and back to {@code firstDelay} once a run lasted
 * {@code stableAfter}. A death before {@code stableAfter} is quick; the {@code giveUpAfter}-th quick death within
 * {@code window} ends the supervision of that service: it stays down.
 */
public record RestartPolicy(
        Duration firstDelay, Duration maxDelay, Duration stableAfter, int giveUpAfter, Duration window) {

    /** What {@code up} and {@code demo} use: 1 s doubling to 30 s, reset after a minute up; 5 quick deaths in 5 min. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), 5, Duration.ofMinutes(5));

    public RestartPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(stableAfter, "stableAfter");
        Objects.requireNonNull(window, "window");
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= firstDelay <= maxDelay");
        }
        if (giveUpAfter < 1) {
            throw new IllegalArgumentException("giveUpAfter must be at least 1");
        }
    }
}
