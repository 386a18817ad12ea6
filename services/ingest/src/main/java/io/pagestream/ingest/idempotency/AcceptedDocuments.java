package io.pagestream.ingest.idempotency;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.ingest.health.RestartPolicy;
import io.pagestream.ingest.health.SupervisedThread;
import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.ingest.quota.TenantQuota;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every document already accepted, read back from {@code documents.requests} (committed records only) into a local
 * table — the memory that makes a retried submission return the same document instead of publishing a second one, on
 * any instance and after restarts.
 *
 * <p>A {@link #lookup} first waits until the table has read every partition up to its end as of the call, so a
 * document committed by another instance before the retry arrived is seen. Limits: the table holds at most
 * {@code capacity} documents (the oldest fall out first) and the topic keeps 7 days; an older retry is a new
 * document. A tombstone on the topic (a deletion, {@code Deletions}) takes its document out of the table. Two instances racing on one key are settled by the document's claim ({@code publish.DocumentClaim}),
 * after which the loser's lookup finds the winner's document.
 *
 * <p>The reading runs in a {@link SupervisedThread}: a reader that dies (an {@code Error} in its thread, a loop that
 * hangs) is replaced by a fresh thread with a fresh consumer, which resumes where the dead one stopped (after the
 * last record it put in the table), so the table stays whole and a restart costs no re-read.
 */
public final class AcceptedDocuments implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AcceptedDocuments.class.getName());

    /**
     * What the table remembers of an accepted document.
     *
     * @param tenant        who submitted it: only this tenant reads it or uses its id
     * @param requestDigest {@link RequestDigest} of what it asked for besides the file
     */
    public record Accepted(
            String documentId,
            String tenant,
            String idempotencyKey,
            byte[] sha256,
            byte[] requestDigest,
            int pageCount,
            String mediaType,
            Instant submittedAt) {
        public String sha256Hex() {
            return HexFormat.of().formatHex(sha256);
        }
    }

    private final KafkaSettings settings;
    private final SchemaRegistryClient registry;
    private final TenantQuota quota;
    /**
     * The states after which a document is no longer in flight. Not REJECTED: a refused submission was never accepted,
     * and a later one with the same key may be.
     */
    private static final Set<DocumentState> ENDS =
            EnumSet.of(DocumentState.COMPLETED, DocumentState.INCOMPLETE, DocumentState.DELETED);

    private final Map<String, Accepted> table;
    /** Ids deleted since they were accepted (bounded as the table is): a read of one is 404 without asking. */
    private final Map<String, Boolean> deleted;

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
    /** Per partition, the offset after the last record put in the table: where a restarted reader resumes. */
    private final Map<TopicPartition, Long> resumeAt = new ConcurrentHashMap<>();

    private final SupervisedThread reader;
    private volatile boolean caughtUp;

    /**
     * @param quota where accepted documents are counted per tenant; with the quota on, {@code documents.status} is read
     *              too, for the ends of documents
     */
    public AcceptedDocuments(
            KafkaSettings settings,
            SchemaRegistryClient registry,
            int capacity,
            RestartPolicy restarts,
            TenantQuota quota) {
        this.settings = settings;
        this.registry = registry;
        this.quota = quota;
        this.table = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Accepted> eldest) {
                return size() > capacity;
            }
        };
        this.deleted = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
        this.reader = new SupervisedThread("accepted-documents", restarts, this::read);
    }

    public AcceptedDocuments start() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        first.thenRun(() -> {
            caughtUp = true;
            LOG.log(
                    System.Logger.Level.INFO,
                    String.format("accepted-documents table caught up: %d documents", size()));
        });
        syncRequests.add(first);
        reader.start();
        return this;
    }

    /** The reading thread, for the supervisor. */
    public SupervisedThread reader() {
        return reader;
    }

    /** Whether the table has read the topic to its end at least once since start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public int size() {
        synchronized (table) {
            return table.size();
        }
    }

    /** Records a document this instance just committed (before the read-back reaches it). */
    public void put(Accepted accepted) {
        synchronized (table) {
            table.put(accepted.documentId(), accepted);
            deleted.remove(accepted.documentId());
        }
        quota.inFlight().accepted(accepted.documentId(), accepted.tenant());
    }

    /**
     * Forgets a deleted document (one this instance just deleted, or a deletion read back): its id is no longer
     * accepted, so a submission may take it again, and {@link #deleted} says so until the id is accepted again.
     */
    public void forget(String documentId) {
        synchronized (table) {
            table.remove(documentId);
            deleted.put(documentId, Boolean.TRUE);
        }
        quota.inFlight().ended(documentId);
    }

    /** Whether the document was deleted, as far as the table has read. */
    public boolean deleted(String documentId) {
        synchronized (table) {
            return deleted.containsKey(documentId);
        }
    }

    /** The accepted document with this id as the table holds it now, without waiting for Kafka. */
    public Optional<Accepted> find(String documentId) {
        synchronized (table) {
            return Optional.ofNullable(table.get(documentId));
        }
    }

    /**
     * The accepted document with this id, after the table caught up with everything committed before this call.
     *
     * @throws TimeoutException when Kafka could not be read up to date within {@code wait}
     */
    public Optional<Accepted> lookup(String documentId, Duration wait) throws TimeoutException, InterruptedException {
        CompletableFuture<Void> synced = new CompletableFuture<>();
        syncRequests.add(synced);
        try {
            synced.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TimeoutException("reading documents.requests failed: " + e.getCause());
        } finally {
            synced.cancel(false);
        }
        return find(documentId);
    }

    private record Pending(Map<TopicPartition, Long> ends, List<CompletableFuture<Void>> waiters) {}

    private void read(SupervisedThread.Heartbeat heartbeat) {
        while (heartbeat.active()) {
            try (KafkaConsumer<String, SpecificRecord> consumer =
                    new KafkaConsumer<>(settings.committedReader(), new StringDeserializer(), new ByTopic(registry))) {
                List<TopicPartition> partitions = partitions(consumer, heartbeat);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                for (TopicPartition tp : partitions) {
                    Long resume = resumeAt.get(tp);
                    if (resume != null) {
                        consumer.seek(tp, resume);
                    }
                }
                List<Pending> pending = new ArrayList<>();
                while (heartbeat.active()) {
                    heartbeat.beat();
                    List<CompletableFuture<Void>> waiters = new ArrayList<>();
                    for (CompletableFuture<Void> f; (f = syncRequests.poll()) != null; ) {
                        if (!f.isDone()) {
                            waiters.add(f);
                        }
                    }
                    if (!waiters.isEmpty()) {
                        try {
                            pending.add(new Pending(consumer.endOffsets(partitions), waiters));
                        } catch (KafkaException e) {
                            syncRequests.addAll(waiters); // Kafka slow: try again; callers time out on their own
                        }
                    }
                    poll(consumer);
                    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                        Pending p = it.next();
                        if (p.waiters.stream().allMatch(CompletableFuture::isDone)) {
                            it.remove();
                        } else if (reached(consumer, p.ends)) {
                            p.waiters.forEach(w -> w.complete(null));
                            it.remove();
                        }
                    }
                }
                // Waiters this thread took but did not answer go back to the queue for the next reader.
                pending.forEach(p -> syncRequests.addAll(p.waiters));
            } catch (KafkaException e) {
                if (heartbeat.active()) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            String.format("reading documents.requests failed, retrying in 1 s: %s", e.toString()));
                    sleep(1000);
                }
            }
        }
    }

    /** The requests' partitions, and the statuses' when the quota is on. */
    private List<TopicPartition> partitions(
            KafkaConsumer<String, SpecificRecord> consumer, SupervisedThread.Heartbeat heartbeat) {
        List<TopicPartition> all = new ArrayList<>(partitions(consumer, heartbeat, Topics.DOCUMENTS_REQUESTS.name()));
        if (quota.on()) {
            all.addAll(partitions(consumer, heartbeat, Topics.DOCUMENTS_STATUS.name()));
        }
        return all;
    }

    private List<TopicPartition> partitions(
            KafkaConsumer<String, SpecificRecord> consumer, SupervisedThread.Heartbeat heartbeat, String topic) {
        while (heartbeat.active()) {
            heartbeat.beat(); // waiting for Kafka is not a stall: the Kafka health check reports an unreachable broker
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
                }
            } catch (KafkaException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("no metadata for %s yet: %s", topic, e));
            }
            sleep(500);
        }
        return List.of();
    }

    private void poll(KafkaConsumer<String, SpecificRecord> consumer) {
        try {
            for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() instanceof DocumentStatus status) {
                    if (ENDS.contains(status.getState())) {
                        quota.inFlight().ended(status.getDocumentId());
                    }
                } else if (r.value() == null && r.key() != null) {
                    forget(r.key()); // a deletion (Deletions)
                } else if (r.value() instanceof DocumentRequest v) {
                    byte[] sha;
                    try {
                        sha = HexFormat.of().parseHex(v.getSha256());
                    } catch (IllegalArgumentException e) {
                        sha = new byte[0]; // not from ingest; still an accepted id
                    }
                    put(new Accepted(
                            v.getDocumentId(),
                            v.getTenant(),
                            v.getIdempotencyKey(),
                            sha,
                            RequestDigest.of(v),
                            v.getPageCount(),
                            v.getMediaType(),
                            v.getSubmittedAt()));
                }
                resumeAt.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
        } catch (RecordDeserializationException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "skipping unreadable record %s@%d: %s",
                            e.topicPartition(),
                            e.offset(),
                            e.getCause() != null ? e.getCause().toString() : e.getMessage()));
            consumer.seek(e.topicPartition(), e.offset() + 1);
            resumeAt.put(e.topicPartition(), e.offset() + 1);
        }
    }

    /**
     * Reads each topic's records as its own contract. A null value is a tombstone on the requests (a deletion); one on
     * the statuses (none is written) would read as a deletion too, which only ends a count.
     */
    private static final class ByTopic implements Deserializer<SpecificRecord> {
        private final AvroDeserializer<DocumentRequest> requests;
        private final AvroDeserializer<DocumentStatus> statuses;

        ByTopic(SchemaRegistryClient registry) {
            requests = new AvroDeserializer<>(registry, DocumentRequest.class);
            statuses = new AvroDeserializer<>(registry, DocumentStatus.class);
        }

        @Override
        public SpecificRecord deserialize(String topic, byte[] data) {
            return Topics.DOCUMENTS_STATUS.name().equals(topic)
                    ? statuses.deserialize(topic, data)
                    : requests.deserialize(topic, data);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(1)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        reader.stop(Duration.ofSeconds(5));
    }
}
