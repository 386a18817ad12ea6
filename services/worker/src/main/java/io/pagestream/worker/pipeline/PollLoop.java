package io.pagestream.worker.pipeline;

import io.pagestream.worker.delivery.DeliveryException;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.delivery.OffsetTracker;
import io.pagestream.worker.delivery.TransactionalPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The consumer's own thread: polls page records, hands them to the decode stage, collects finished pages, and
 * publishes each partition's done prefix with its offsets in one transaction.
 *
 * <p>It polls every {@code pollTimeout} whatever the engine is doing, so a long batch never exceeds
 * {@code max.poll.interval.ms}. When more than {@code maxInFlight} pages are polled and not committed it pauses
 * every assigned partition (still polling, to stay in the group) and resumes below half of that.
 *
 * <p>On revocation it first commits what is done, then abandons the rest of the revoked partitions: their pages are
 * dropped wherever they are and never published, and the partition's next owner starts from the committed offset.
 * On a fatal Kafka error (a fenced producer, say) it abandons everything and starts a fresh session. On stop it
 * pauses, lets in-flight pages finish for {@code shutdownGrace}, commits them, hands the rest back uncommitted, and
 * leaves the group so that the partitions move at once.
 */
public final class PollLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PollLoop.class.getName());
    private static final Duration SESSION_RETRY = Duration.ofSeconds(1);

    /**
     * @param maxInFlight    polled and uncommitted pages above which the consumer pauses
     * @param commitInterval least time between two transactions while pages keep finishing
     */
    public record Settings(
            String topic, int maxInFlight, Duration commitInterval, Duration pollTimeout, Duration shutdownGrace) {}

    private final KafkaClients clients;
    private final Settings settings;
    private final Consumer<PageTask> intake;
    private final Runnable onAbandon;
    private final PipelineMetrics metrics;
    private final PageTracing tracing;
    private final Outcomes outcomes;
    private final OffsetTracker<PageTask, PageOutcome> tracker = new OffsetTracker<>();
    private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long lastPollNanos = System.nanoTime();
    private volatile int inFlight;
    private volatile boolean paused;
    private volatile int assigned;
    private org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private TransactionalPublisher publisher;
    private long lastCommitNanos;

    /**
     * @param outcomes  where the stages put finished pages
     * @param intake    takes each polled page (the decode stage); must not block
     * @param onAbandon called after pages were abandoned, to stop their work downstream
     */
    public PollLoop(
            KafkaClients clients,
            Settings settings,
            Outcomes outcomes,
            Consumer<PageTask> intake,
            Runnable onAbandon,
            PipelineMetrics metrics,
            PageTracing tracing) {
        this.clients = clients;
        this.settings = settings;
        this.outcomes = outcomes;
        this.intake = intake;
        this.onAbandon = onAbandon;
        this.metrics = metrics;
        this.tracing = tracing;
        this.thread = new Thread(this::run, "pagestream-poll");
    }

    public void start() {
        thread.start();
    }

    /** Polled and not yet committed. */
    public int inFlight() {
        return inFlight;
    }

    public boolean paused() {
        return paused;
    }

    /** Partitions this worker owns now. */
    public int assignedPartitions() {
        return assigned;
    }

    /** Alive and polling: the thread runs and polled within the last {@code limit}. */
    public boolean polling(Duration limit) {
        return thread.isAlive() && System.nanoTime() - lastPollNanos < limit.toNanos();
    }

    private void run() {
        while (!stopping) {
            try {
                open();
                while (!stopping) {
                    cycle();
                }
                drain();
            } catch (InterruptException e) {
                LOG.log(System.Logger.Level.WARNING, "the poll loop was interrupted; stopping");
                stopping = true;
            } catch (DeliveryException | RuntimeException e) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "the Kafka session failed; abandoning in-flight pages and " + "starting a new one",
                        e);
                abandon(new ArrayList<>(leases.keySet()));
            } finally {
                closeSession();
            }
            if (!stopping) {
                pause(SESSION_RETRY);
            }
        }
    }

    private void open() {
        consumer = clients.consumer();
        publisher = new TransactionalPublisher(clients.producer());
        paused = false;
        lastCommitNanos = System.nanoTime();
        consumer.subscribe(List.of(settings.topic()), new Rebalance());
    }

    private void cycle() throws DeliveryException {
        long now = System.nanoTime();
        ConsumerRecords<String, byte[]> polled = consumer.poll(settings.pollTimeout());
        for (TopicPartition partition : polled.partitions()) {
            PartitionLease lease = leases.get(partition);
            if (lease == null) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : polled.records(partition)) {
                PageTask task =
                        new PageTask(lease, record.offset(), record.key(), record.value(), record.headers(), now);
                tracker.add(partition, record.offset(), task);
                intake.accept(task);
            }
        }
        lastPollNanos = System.nanoTime();
        drainOutcomes();
        if (System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) {
            commitReady();
        }
        applyBackPressure();
    }

    private void drainOutcomes() {
        PageOutcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            PageTask task = outcome.task();
            tracker.complete(task.partition(), task.offset(), task, outcome);
        }
    }

    private void commitReady() throws DeliveryException {
        lastCommitNanos = System.nanoTime();
        OffsetTracker.Ready<PageOutcome> ready = tracker.ready();
        if (ready.isEmpty()) {
            return;
        }
        List<PageOutcome> pages = ready.all();
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        pages.forEach(page -> page.records().forEach(r -> records.add(tracing.record(r, page.trace()))));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ready.nextOffsets().forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        long start = System.nanoTime();
        try {
            publisher.publish(records, offsets, consumer.groupMetadata());
        } catch (DeliveryException e) {
            metrics.transaction(false, Duration.ofNanos(System.nanoTime() - start));
            if (e.fatal()) {
                throw e;
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a transaction of " + pages.size() + " pages was aborted; they "
                            + "are published again at the next commit",
                    e);
            return;
        }
        long end = System.nanoTime();
        metrics.transaction(true, Duration.ofNanos(end - start));
        tracker.acknowledge(ready);
        pages.forEach(page -> metrics.committed(page, end));
        inFlight = tracker.size();
    }

    private void applyBackPressure() {
        int pending = tracker.size();
        inFlight = pending;
        if (!paused && pending >= settings.maxInFlight()) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && pending <= settings.maxInFlight() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    /** Graceful stop: no new pages; in-flight ones get {@code shutdownGrace} to finish and be committed. */
    private void drain() throws DeliveryException {
        consumer.pause(consumer.assignment());
        paused = true;
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        drainOutcomes();
        while (tracker.size() > 0 && System.nanoTime() < deadline) {
            consumer.poll(settings.pollTimeout());
            lastPollNanos = System.nanoTime();
            drainOutcomes();
            commitReady();
        }
        drainOutcomes();
        commitReady();
        int left = tracker.size();
        if (left > 0) {
            LOG.log(System.Logger.Level.INFO, "handing back " + left + " unfinished pages uncommitted");
        }
        abandon(new ArrayList<>(leases.keySet()));
    }

    private int abandon(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            PartitionLease lease = leases.remove(partition);
            if (lease != null) {
                lease.revoke();
            }
        }
        assigned = leases.size();
        int dropped = tracker.drop(partitions);
        inFlight = tracker.size();
        if (dropped > 0) {
            metrics.abandoned(dropped);
            onAbandon.run();
        }
        return dropped;
    }

    private void closeSession() {
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.groupMembershipOperation(
                                stopping
                                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                        : CloseOptions.GroupMembershipOperation.DEFAULT)
                        .withTimeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the consumer failed", e);
            }
            consumer = null;
        }
        if (publisher != null) {
            try {
                publisher.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the producer failed", e);
            }
            publisher = null;
        }
        outcomes.clear();
        paused = false;
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Stops gracefully (see the class comment) and waits for it. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(settings.shutdownGrace().plusSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                leases.put(partition, new PartitionLease(partition));
            }
            assigned = leases.size();
            if (paused) {
                consumer.pause(partitions);
            }
            if (!partitions.isEmpty()) {
                LOG.log(
                        System.Logger.Level.INFO,
                        () -> "assigned " + partitions.size() + " partitions, now " + leases.size());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            drainOutcomes();
            try {
                commitReady();
            } catch (DeliveryException e) {
                LOG.log(System.Logger.Level.WARNING, "committing before a revocation failed", e);
            }
            int dropped = abandon(partitions);
            LOG.log(
                    System.Logger.Level.INFO,
                    () -> "revoked " + partitions.size() + " partitions; " + dropped
                            + " unfinished pages of them handed back");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            int dropped = abandon(partitions);
            LOG.log(
                    System.Logger.Level.WARNING,
                    () -> "lost " + partitions.size() + " partitions; " + dropped
                            + " unfinished pages of them dropped");
        }
    }
}
