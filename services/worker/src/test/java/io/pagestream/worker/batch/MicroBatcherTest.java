package io.pagestream.worker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    record Page(String name, int promptCount, int tokens, boolean isolated) implements Batchable {
        static Page of(String name, int prompts, int tokens) {
            return new Page(name, prompts, tokens, false);
        }
    }

    private static List<String> names(List<Page> batch) {
        return batch.stream().map(Page::name).toList();
    }

    @Test
    void aBatchClosesAtThePageLimitWithoutWaitingForTheLinger() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        for (int i = 0; i < 5; i++) {
            batcher.put(Page.of("p" + i, 1, 10));
        }
        long start = System.nanoTime();
        assertEquals(List.of("p0", "p1", "p2"), names(batcher.next(new BatchLimits(3, 100, 1000), LONG)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "a full batch goes at once");
        assertEquals(2, batcher.size());
    }

    @Test
    void aBatchClosesBeforeThePageThatWouldExceedTheTokenBudgetOrTheSlots() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        batcher.put(Page.of("a", 1, 300));
        batcher.put(Page.of("b", 1, 300));
        batcher.put(Page.of("c", 1, 300));
        assertEquals(List.of("a", "b"), names(batcher.next(new BatchLimits(8, 100, 700), LONG)));
        batcher.put(Page.of("d", 3, 10));
        batcher.put(Page.of("e", 3, 10));
        assertEquals(List.of("c", "d"), names(batcher.next(new BatchLimits(8, 5, 10_000), LONG)));
    }

    @Test
    void aPageOverTheBudgetOnItsOwnStillRunsAlone() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        batcher.put(Page.of("huge", 40, 99_999));
        batcher.put(Page.of("small", 1, 1));
        assertEquals(List.of("huge"), names(batcher.next(new BatchLimits(8, 8, 1000), LONG)));
    }

    @Test
    void aLoneFirstPageGoesAfterTheLinger() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        batcher.put(Page.of("only", 1, 1));
        long start = System.nanoTime();
        assertEquals(List.of("only"), names(batcher.next(new BatchLimits(8, 8, 1000), Duration.ofMillis(50))));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= Duration.ofMillis(40).toNanos(), "waited " + waited / 1e6 + " ms for company");
    }

    @Test
    void pagesArrivingDuringTheLingerJoinTheBatch() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        batcher.put(Page.of("first", 1, 1));
        Thread late = new Thread(() -> {
            try {
                batcher.put(Page.of("second", 1, 1));
                batcher.put(Page.of("third", 1, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        late.start();
        List<Page> batch = batcher.next(new BatchLimits(3, 8, 1000), LONG);
        late.join();
        assertEquals(List.of("first", "second", "third"), names(batch));
    }

    @Test
    void isolatedPagesMakeBatchesOfTheirOwnAndRetriesGoFirst() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(10);
        batcher.put(Page.of("a", 1, 1));
        batcher.put(new Page("alone", 1, 1, true));
        batcher.put(Page.of("b", 1, 1));
        BatchLimits limits = new BatchLimits(8, 8, 1000);
        assertEquals(List.of("a"), names(batcher.next(limits, Duration.ZERO)));
        assertEquals(List.of("alone"), names(batcher.next(limits, Duration.ZERO)));
        batcher.putFirst(Page.of("retry", 1, 1));
        assertEquals(List.of("retry", "b"), names(batcher.next(limits, Duration.ZERO)));
    }

    @Test
    void putBlocksWhileFullAndCloseReleasesEveryone() throws Exception {
        MicroBatcher<Page> batcher = new MicroBatcher<>(1);
        batcher.put(Page.of("a", 1, 1));
        boolean[] accepted = {true};
        Thread blocked = new Thread(() -> {
            try {
                accepted[0] = batcher.put(Page.of("b", 1, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blocked.start();
        blocked.join(200);
        assertTrue(blocked.isAlive(), "put waits while the queue is full");
        batcher.close();
        blocked.join(10_000);
        assertEquals(false, accepted[0]);
        assertEquals(List.of("a"), names(batcher.next(new BatchLimits(8, 8, 1000), LONG)));
        assertEquals(List.of(), batcher.next(new BatchLimits(8, 8, 1000), LONG));
    }
}
