package io.pagestream.worker.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("pages", 0);
    private static final TopicPartition P1 = new TopicPartition("pages", 1);

    @Test
    void onlyTheContiguousDonePrefixOfAPartitionIsReady() {
        OffsetTracker<String, String> tracker = new OffsetTracker<>();
        tracker.add(P0, 10, "a");
        tracker.add(P0, 11, "b");
        tracker.add(P0, 14, "c");
        tracker.complete(P0, 11, "b", "B");
        tracker.complete(P0, 14, "c", "C");
        assertTrue(tracker.ready().isEmpty(), "b and c wait for a");
        tracker.complete(P0, 10, "a", "A");
        OffsetTracker.Ready<String> ready = tracker.ready();
        assertEquals(Map.of(P0, List.of("A", "B", "C")), ready.outcomes());
        assertEquals(Map.of(P0, 15L), ready.nextOffsets(), "past the last done record, gaps included");
        assertEquals(3, tracker.size(), "still tracked until acknowledged");
        tracker.acknowledge(ready);
        assertEquals(0, tracker.size());
        assertTrue(tracker.ready().isEmpty());
    }

    @Test
    void partitionsAreIndependentAndAcknowledgingKeepsLaterRecords() {
        OffsetTracker<String, String> tracker = new OffsetTracker<>();
        tracker.add(P0, 0, "a");
        tracker.add(P0, 1, "b");
        tracker.add(P1, 0, "x");
        tracker.complete(P0, 0, "a", "A");
        tracker.complete(P1, 0, "x", "X");
        OffsetTracker.Ready<String> ready = tracker.ready();
        assertEquals(Map.of(P0, 1L, P1, 1L), ready.nextOffsets());
        assertEquals(List.of("A", "X"), ready.all().stream().sorted().toList());
        tracker.acknowledge(ready);
        assertEquals(1, tracker.size());
        tracker.complete(P0, 1, "b", "B");
        assertEquals(Map.of(P0, 2L), tracker.ready().nextOffsets());
    }

    @Test
    void droppedPartitionsAndStaleItemsNeverComplete() {
        OffsetTracker<String, String> tracker = new OffsetTracker<>();
        tracker.add(P0, 5, "old");
        assertEquals(1, tracker.drop(List.of(P0)));
        assertFalse(tracker.complete(P0, 5, "old", "O"));
        tracker.add(P0, 5, "new");
        assertFalse(tracker.complete(P0, 5, "old", "O"), "an item from an earlier assignment");
        assertTrue(tracker.complete(P0, 5, "new", "N"));
        assertEquals(Map.of(P0, 6L), tracker.ready().nextOffsets());
        assertEquals(1, tracker.drop(List.of(P0, P1)));
        assertEquals(0, tracker.size());
    }
}
