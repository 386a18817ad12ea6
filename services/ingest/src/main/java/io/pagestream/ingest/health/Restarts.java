package io.pagestream.ingest.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The deaths of one part within the policy's window, and what follows from them: a restart after a wait, or none. */
final class Restarts {
    private final RestartPolicy policy;
    private final Deque<Long> deaths = new ArrayDeque<>();
    private boolean gaveUp;

    Restarts(RestartPolicy policy) {
        this.policy = policy;
    }

    /**
     * Counts a death at {@code nanos} (System.nanoTime); the wait before the restart, or empty when the part died
     * more than {@code maxRestarts} times within the window and is given up for good.
     */
    synchronized Optional<Duration> died(long nanos) {
        long windowNanos = policy.window().toNanos();
        while (!deaths.isEmpty() && nanos - deaths.peekFirst() > windowNanos) {
            deaths.removeFirst();
        }
        deaths.addLast(nanos);
        if (deaths.size() > policy.maxRestarts()) {
            gaveUp = true;
            return Optional.empty();
        }
        return Optional.of(policy.backoffAfter(deaths.size()));
    }

    synchronized boolean gaveUp() {
        return gaveUp;
    }

    /** Deaths counted within the window as of the last one. */
    synchronized int recent() {
        return deaths.size();
    }

    RestartPolicy policy() {
        return policy;
    }
}
