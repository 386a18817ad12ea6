package io.pagestream.ingest.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.testing.Wait;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A supervised loop killed by an Error, or stuck in a call, is replaced by a fresh thread after its backoff; one that
 * keeps dying is given up. The test drives {@link SupervisedThread#supervise()} itself, as the supervisor would.
 */
class SupervisedThreadTest {
    private static final RestartPolicy POLICY = new RestartPolicy(
            Duration.ofMillis(100), Duration.ofMillis(400), 3, Duration.ofMinutes(1), Duration.ofMillis(500));

    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final SupervisedThread part = new SupervisedThread("test-loop", POLICY, heartbeat -> {
        threads.add(Thread.currentThread().getName());
        while (heartbeat.active()) {
            heartbeat.beat();
            Thread.sleep(10);
        }
    });

    @AfterEach
    void stop() {
        part.faults().repair();
        part.stop(Duration.ofSeconds(5));
    }

    private void superviseUntil(PartHealth.State state, String why) {
        Wait.upTo(Duration.ofSeconds(10)).alias(why).until(() -> {
            part.supervise();
            return part.health().state() == state;
        });
    }

    @Test
    void anErrorEndsTheThreadAndAFreshOneTakesOverAfterTheBackoff() {
        part.start();
        superviseUntil(PartHealth.State.UP, "running");
        part.faults().failWith(new OutOfMemoryError("test"));
        superviseUntil(PartHealth.State.DOWN, "dead");
        assertTrue(
                part.health().detail().contains("OutOfMemoryError"),
                part.health().detail());
        part.faults().repair();
        superviseUntil(PartHealth.State.UP, "restarted");
        assertEquals(2, threads.size(), "a fresh thread: " + threads);
        assertEquals(1, part.health().restarts());
    }

    @Test
    void aLoopWithoutProgressIsAbandonedAndReplaced() {
        part.start();
        superviseUntil(PartHealth.State.UP, "running");
        part.faults().hang();
        superviseUntil(PartHealth.State.DOWN, "stuck");
        part.faults().repair();
        superviseUntil(PartHealth.State.UP, "restarted");
        assertEquals(2, threads.size(), "a fresh thread: " + threads);
    }

    @Test
    void aPartThatDiesMoreOftenThanItsRestartsAllowIsGivenUp() {
        part.start();
        part.faults().failWith(new StackOverflowError("test"));
        superviseUntil(PartHealth.State.GAVE_UP, "given up after 3 restarts");
        assertEquals(4, threads.size(), "the first thread and three restarts: " + threads);
        assertTrue(!part.health().live() && !part.health().ready());
    }

    @Test
    void backoffDoublesUpToItsCeiling() {
        assertEquals(Duration.ofMillis(100), POLICY.backoffAfter(1));
        assertEquals(Duration.ofMillis(200), POLICY.backoffAfter(2));
        assertEquals(Duration.ofMillis(400), POLICY.backoffAfter(3));
        assertEquals(Duration.ofMillis(400), POLICY.backoffAfter(9));
    }
}
