package io.pagestream.worker.delivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which polled records are done, per partition, and which can be committed. Pages finish out of order (batches,
 * answers of different lengths), but a partition's offset may only move past records that are all done; so each
 * partition's <em>contiguous done prefix</em> is what gets published and committed, together, and a finished page
 * behind an unfinished one waits in memory. A crash then never leaves a result published whose offset is not
 * committed: nothing is lost, and read_committed consumers see each page once. Used by the poll thread only.
 *
 * @param <T> the polled item, compared by identity so that an item from an earlier assignment of the same partition
 *            never completes its successor
 * @param <O> what a done item publishes
 */
public final class OffsetTracker<T, O> {
    private final Map<TopicPartition, TreeMap<Long, Slot<T, O>>> partitions = new HashMap<>();
    private int size;

    private static final class Slot<T, O> {
        final T item;
        O outcome;

        Slot(T item) {
            this.item = item;
        }
    }

    /**
     * Done prefixes ready to publish.
     *
     * @param outcomes    per partition, in offset order
     * @param nextOffsets per partition, the offset to commit (the last done offset + 1)
     */
    public record Ready<O>(Map<TopicPartition, List<O>> outcomes, Map<TopicPartition, Long> nextOffsets) {
        public boolean isEmpty() {
            return nextOffsets.isEmpty();
        }

        public List<O> all() {
            List<O> all = new ArrayList<>();
            outcomes.values().forEach(all::addAll);
            return all;
        }
    }

    public void add(TopicPartition partition, long offset, T item) {
        partitions.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, new Slot<>(item));
        size++;
    }

    /** Records the outcome; false when the item is no longer tracked (its partition was dropped). */
    public boolean complete(TopicPartition partition, long offset, T item, O outcome) {
        TreeMap<Long, Slot<T, O>> slots = partitions.get(partition);
        Slot<T, O> slot = slots == null ? null : slots.get(offset);
        if (slot == null || slot.item != item) {
            return false;
        }
        slot.outcome = outcome;
        return true;
    }

    /** The done prefix of every partition, left tracked until {@link #acknowledge}. */
    public Ready<O> ready() {
        Map<TopicPartition, List<O>> outcomes = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, TreeMap<Long, Slot<T, O>>> tracked : partitions.entrySet()) {
            TopicPartition partition = tracked.getKey();
            TreeMap<Long, Slot<T, O>> slots = tracked.getValue();
            List<O> done = new ArrayList<>();
            long last = -1;
            for (Map.Entry<Long, Slot<T, O>> entry : slots.entrySet()) {
                if (entry.getValue().outcome == null) {
                    break;
                }
                done.add(entry.getValue().outcome);
                last = entry.getKey();
            }
            if (!done.isEmpty()) {
                outcomes.put(partition, done);
                next.put(partition, last + 1);
            }
        }
        return new Ready<>(outcomes, next);
    }

    /** Forgets what {@code ready} returned, once it is committed. */
    public void acknowledge(Ready<O> ready) {
        for (Map.Entry<TopicPartition, Long> entry : ready.nextOffsets().entrySet()) {
            TreeMap<Long, Slot<T, O>> slots = partitions.get(entry.getKey());
            if (slots == null) {
                continue;
            }
            Map<Long, Slot<T, O>> committed = slots.headMap(entry.getValue());
            size -= committed.size();
            committed.clear();
        }
    }

    /** Stops tracking the partitions (revoked or lost); returns how many records were dropped. */
    public int drop(Collection<TopicPartition> which) {
        int dropped = 0;
        for (TopicPartition partition : which) {
            TreeMap<Long, Slot<T, O>> slots = partitions.remove(partition);
            if (slots != null) {
                dropped += slots.size();
            }
        }
        size -= dropped;
        return dropped;
    }

    /** The partition's first tracked offset: where its committed offset stands while nothing more is done. */
    public OptionalLong first(TopicPartition partition) {
        TreeMap<Long, Slot<T, O>> slots = partitions.get(partition);
        return slots == null || slots.isEmpty() ? OptionalLong.empty() : OptionalLong.of(slots.firstKey());
    }

    /** Records polled and not yet committed. */
    public int size() {
        return size;
    }
}
