package io.pagestream.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How tests wait: Awaitility, checked first at once and then every {@value #EVERY_MILLIS} ms, in the caller's thread (a
 * Kafka consumer must stay on one thread, and so must most of what a test polls).
 */
public final class Wait {
    private static final long EVERY_MILLIS = 50;

    private Wait() {}

    /** Awaitility's {@code await()} for at most {@code timeout}; failing with what it waited for when time is up. */
    public static ConditionFactory upTo(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(EVERY_MILLIS));
    }

    /**
     * Waits until {@code done} holds or the time is up, without failing: for collecting loops whose caller asserts on
     * what came (a missing or duplicate record then says more than a time-out would).
     */
    public static void atMost(Duration timeout, Callable<Boolean> done) {
        atMost(timeout, Duration.ofMillis(EVERY_MILLIS), done);
    }

    /** As {@link #atMost(Duration, Callable)}, checked every {@code every}: for a test driving a loop itself. */
    public static void atMost(Duration timeout, Duration every, Callable<Boolean> done) {
        try {
            upTo(timeout).pollInterval(every).until(done);
        } catch (ConditionTimeoutException e) {
            // the caller's assertions report what is missing
        }
    }
}
