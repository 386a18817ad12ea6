package io.pagestream.worker.delivery;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many times each uncommitted page of the assigned partitions was at the engine when a worker process ended
 * (its deaths), kept in the metadata of the partition's committed offset. That metadata is written in the same
 * transactions as the offsets, read back by whoever is assigned the partition next (a restarted worker or another
 * one), and bounded by itself: an entry is only ever about a page past the committed offset, so committing past a
 * page forgets it.
 *
 * <p>A page counts as at the engine from the moment the inference stage asks to send it there ({@link #launched})
 * until its outcome reaches the poll loop ({@link #returned}) or it is handed back on revocation or shutdown
 * ({@link #handBack}). The metadata says {@code deaths + 1} for a page at the engine, so if the process dies now the
 * next owner reads one more death; nothing says {@code deaths + 1} for long without the page being at risk.
 *
 * <p>Format: {@value #PREFIX} then {@code delta=count} pairs separated by commas, where {@code delta} is the page's
 * offset less the committed offset. Metadata in any other form (set by a tool, say) reads as no deaths. Used by the
 * poll thread only.
 */
public final class EngineAttempts {
    static final String PREFIX = "pagestream-engine-deaths:v1;";
    private static final System.Logger LOG = System.getLogger(EngineAttempts.class.getName());

    private final Map<TopicPartition, TreeMap<Long, Entry>> partitions = new HashMap<>();

    private static final class Entry {
        int deaths;
        boolean atEngine;

        Entry(int deaths) {
            this.deaths = deaths;
        }

        int recorded() {
            return deaths + (atEngine ? 1 : 0);
        }
    }

    /**
     * A newly assigned partition, from its committed offset ({@code null} when the group never committed it).
     * Returns how many of its pages died with a worker before.
     */
    public int load(TopicPartition partition, OffsetAndMetadata committed) {
        TreeMap<Long, Entry> entries = new TreeMap<>();
        decode(committed).forEach((offset, deaths) -> entries.put(offset, new Entry(deaths)));
        partitions.put(partition, entries);
        return entries.size();
    }

    /** Times the worker process ended with this page at the engine; 0 for a page never seen dying. */
    public int deaths(TopicPartition partition, long offset) {
        Entry entry = entries(partition).get(offset);
        return entry == null ? 0 : entry.deaths;
    }

    /** The page goes to the engine: the next commit records it as one more death, in case the process ends. */
    public void launched(TopicPartition partition, long offset) {
        entries(partition).computeIfAbsent(offset, o -> new Entry(0)).atEngine = true;
    }

    /** The page came back from the engine with an outcome: the process survived it, so it is no longer at risk. */
    public void returned(TopicPartition partition, long offset) {
        TreeMap<Long, Entry> entries = entries(partition);
        Entry entry = entries.get(offset);
        if (entry == null) {
            return;
        }
        entry.atEngine = false;
        if (entry.deaths == 0) {
            entries.remove(offset);
        }
    }

    /** The pages are given back unfinished (revocation, shutdown): the process did not die of them. */
    public void handBack(Collection<TopicPartition> which) {
        which.forEach(p -> entries(p).values().forEach(e -> e.atEngine = false));
    }

    /**
     * The offset to commit for {@code partition}, with the record of its pages from {@code offset} on; entries
     * before it are forgotten, since those pages are committed.
     */
    public OffsetAndMetadata commit(TopicPartition partition, long offset) {
        TreeMap<Long, Entry> entries = entries(partition);
        entries.headMap(offset).clear();
        StringBuilder metadata = new StringBuilder();
        entries.forEach((page, entry) -> {
            if (entry.recorded() > 0) {
                metadata.append(metadata.isEmpty() ? PREFIX : ",")
                        .append(page - offset)
                        .append('=')
                        .append(entry.recorded());
            }
        });
        return new OffsetAndMetadata(offset, metadata.toString());
    }

    /** Forgets the partitions (revoked or lost): their next owner reads what was last committed. */
    public void drop(Collection<TopicPartition> which) {
        which.forEach(partitions::remove);
    }

    public void clear() {
        partitions.clear();
    }

    private TreeMap<Long, Entry> entries(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, p -> new TreeMap<>());
    }

    /** Deaths per page offset as {@link #commit} wrote them; empty for no or foreign metadata. */
    static Map<Long, Integer> decode(OffsetAndMetadata committed) {
        Map<Long, Integer> deaths = new HashMap<>();
        if (committed == null || !committed.metadata().startsWith(PREFIX)) {
            return deaths;
        }
        String body = committed.metadata().substring(PREFIX.length());
        try {
            for (String pair : body.split(",")) {
                int equals = pair.indexOf('=');
                long offset = committed.offset() + Long.parseLong(pair.substring(0, equals));
                int count = Integer.parseInt(pair.substring(equals + 1));
                if (count > 0) {
                    deaths.put(offset, count);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "unreadable engine-attempt metadata at offset " + committed.offset() + ", ignored: " + body);
            deaths.clear();
        }
        return deaths;
    }
}
