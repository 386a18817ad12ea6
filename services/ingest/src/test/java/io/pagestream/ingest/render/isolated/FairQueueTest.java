package io.pagestream.ingest.render.isolated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    private static final Duration NOW = Duration.ZERO;
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aClientHoldsAtMostItsShareEvenWithSlotsFree() throws Exception {
        FairQueue queue = new FairQueue(3, 2);
        assertTrue(queue.acquire("a", NOW));
        assertTrue(queue.acquire("a", NOW));
        assertFalse(queue.acquire("a", Duration.ofMillis(50)), "a's third document waits for one of its own slots");
        assertTrue(queue.acquire("b", NOW), "the slot a may not take is b's");
        assertFalse(queue.acquire("c", Duration.ofMillis(50)), "every slot busy");
        queue.release("a");
        assertTrue(queue.acquire("c", NOW));
        assertEquals(3, queue.busy());
    }

    @Test
    void waitingClientsAreServedInTurnNotInOrderOfArrival() throws Exception {
        FairQueue queue = new FairQueue(1, 1);
        assertTrue(queue.acquire("holder", NOW));
        List<String> served = new CopyOnWriteArrayList<>();
        // a queues three documents before b and c queue one each.
        for (String client : List.of("a", "a", "a", "b", "c")) {
            int queued = queue.waiting();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    if (queue.acquire(client, LONG)) {
                        served.add(client);
                        queue.release(client);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Wait.upTo(Duration.ofSeconds(10)).alias(client + " waiting").until(() -> queue.waiting() == queued + 1);
        }
        queue.release("holder");
        Wait.upTo(Duration.ofSeconds(10)).alias("all served").until(() -> served.size() == 5);
        assertEquals(List.of("a", "b", "c", "a", "a"), served);
    }

    @Test
    void aRequestThatGetsNoSlotInTimeLeavesTheLine() throws Exception {
        FairQueue queue = new FairQueue(1, 1);
        assertTrue(queue.acquire("a", NOW));
        assertFalse(queue.acquire("b", Duration.ofMillis(20)));
        assertEquals(0, queue.waiting());
        queue.release("a");
        assertEquals(0, queue.busy(), "the slot went to nobody: b had given up");
    }

    @Test
    void anInterruptedWaiterLeavesTheLine() throws Exception {
        FairQueue queue = new FairQueue(1, 1);
        assertTrue(queue.acquire("a", NOW));
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                queue.acquire("b", LONG);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        Wait.upTo(Duration.ofSeconds(10)).alias("b waiting").until(() -> queue.waiting() == 1);
        waiter.interrupt();
        Wait.upTo(Duration.ofSeconds(10)).alias("b interrupted").until(() -> interrupted.getCount() == 0);
        queue.release("a");
        assertEquals(0, queue.busy());
    }
}
