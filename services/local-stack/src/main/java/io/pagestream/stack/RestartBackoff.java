package io.pagestream.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** One service's restart history under a {@link RestartPolicy}: how long to wait before starting it again, if at all. */
final class RestartBackoff {
    private final RestartPolicy policy;
    private final Deque<Instant> quickDeaths = new ArrayDeque<>();
    private Duration next;

    RestartBackoff(RestartPolicy policy) {
        this.policy = policy;
        this.next = policy.firstDelay();
    }

    /** The wait before starting again after a run from {@code started} to {@code ended}; empty: give up on it. */
    Optional<Duration> afterRun(Instant started, Instant ended) {
        if (Duration.between(started, ended).compareTo(policy.stableAfter()) >= 0) {
            next = policy.firstDelay();
        } else {
            quickDeaths.addLast(ended);
        }
        Instant windowStart = ended.minus(policy.window());
        while (!quickDeaths.isEmpty() && !quickDeaths.peekFirst().isAfter(windowStart)) {
            quickDeaths.removeFirst();
        }
        if (quickDeaths.size() >= policy.giveUpAfter()) {
            return Optional.empty();
        }
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : doubled;
        return Optional.of(delay);
    }
}
