package io.pagestream.worker.pipeline;

import io.pagestream.worker.delivery.DeliveryException;
import io.pagestream.worker.delivery.EngineAttempts;
import io.pagestream.worker.delivery.KafkaClients;
import io.pagestream.worker.delivery.OffsetTracker;
import io.pagestream.worker.delivery.TransactionalPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

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
 * On a fatal Kafka error (a fenced producer, say) it abandons everything and starts a fresh session; but when the
 * broker refuses the worker's principal (an {@link AuthorizationException}: a missing ACL, or another principal's
 * credentials) a new session would be refused the same, so it logs what was refused and stops for good
 * ({@link #refused()}), which takes the worker's readiness and liveness down. On stop it
 * pauses, lets in-flight pages finish for {@code shutdownGrace}, commits them, hands the rest back uncommitted, and
 * leaves the group so that the partitions move at once.
 *
 * <p>Before a micro-batch goes to the engine the inference stage waits on {@link Admissions}: this thread records its
 * pages as at the engine in the committed offset's metadata ({@link EngineAttempts}), in a transaction of their own
 * or with the next results, and only then lets them go. On assignment it reads that metadata back, so a page that
 * was at the engine when a worker process died carries its deaths on its {@link PageTask}; on revocation and on
 * stop the unfinished pages are handed back (recorded as not at the engine) in the commit that precedes it.
 */
public final class PollLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PollLoop.class.getName());
    private static final Duration SESSION_RETRY = Duration.ofSeconds(1);
    private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(30);

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
    private final Admissions admissions;
    private final OffsetTracker<PageTask, PageOutcome> tracker = new OffsetTracker<>();
    private final EngineAttempts attempts = new EngineAttempts();
    private final List<Admissions.Admission> recording = new ArrayList<>();
    private volatile String refusal;
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
     * @param outcomes   where the stages put finished pages
     * @param admissions pages waiting to be recorded as at the engine before they go there
     * @param intake     takes each polled page (the decode stage); must not block
     * @param onAbandon  called after pages were abandoned, to stop their work downstream
     */
    PollLoop(
            KafkaClients clients,
            Settings settings,
            Outcomes outcomes,
            Admissions admissions,
            Consumer<PageTask> intake,
            Runnable onAbandon,
            PipelineMetrics metrics,
            PageTracing tracing) {
        this.clients = clients;
        this.settings = settings;
        this.outcomes = outcomes;
        this.admissions = admissions;
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
                Optional<AuthorizationException> denied = authorizationCause(e);
                if (denied.isPresent()) {
                    refusal = "Kafka refused this worker's principal " + refusedResource(denied.get()) + " ("
                            + denied.get().getClass().getSimpleName() + ": "
                            + denied.get().getMessage() + ")";
                    LOG.log(
                            System.Logger.Level.ERROR,
                            refusal + "; the worker stops consuming (readiness and liveness DOWN): check"
                                    + " pagestream.kafka.config-file and the principal's ACLs (docs/deploying.md)",
                            e);
                    stopping = true;
                } else {
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "the Kafka session failed; abandoning in-flight pages and " + "starting a new one",
                            e);
                }
                abandon(new ArrayList<>(leases.keySet()));
            } finally {
                closeSession();
            }
            if (!stopping) {
                pause(SESSION_RETRY);
            }
        }
        admissions.close();
    }

    /** Why the broker refused this worker, once it has: the loop has stopped for good. */
    public Optional<String> refused() {
        return Optional.ofNullable(refusal);
    }

    private static Optional<AuthorizationException> authorizationCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthorizationException denied) {
                return Optional.of(denied);
            }
        }
        return Optional.empty();
    }

    private String refusedResource(AuthorizationException denied) {
        return switch (denied) {
            case TopicAuthorizationException t -> "the topics " + t.unauthorizedTopics();
            case GroupAuthorizationException g -> "the group " + g.groupId();
            case TransactionalIdAuthorizationException t -> "its transactional id";
            default -> "access to " + settings.topic();
        };
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
                PageTask task = new PageTask(
                        lease,
                        record.offset(),
                        record.key(),
                        record.value(),
                        record.headers(),
                        now,
                        attempts.deaths(partition, record.offset()));
                tracker.add(partition, record.offset(), task);
                intake.accept(task);
            }
        }
        lastPollNanos = System.nanoTime();
        drainOutcomes();
        // Pages held at the engine's door cost engine time: record them now rather than at the next interval.
        if (takeAdmissions()
                || System.nanoTime() - lastCommitNanos
                        >= settings.commitInterval().toNanos()) {
            commitReady(List.of());
        }
        applyBackPressure();
    }

    private void drainOutcomes() {
        PageOutcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            PageTask task = outcome.task();
            if (tracker.complete(task.partition(), task.offset(), task, outcome)) {
                attempts.returned(task.partition(), task.offset());
            }
        }
    }

    /** Marks the pages of new admissions as at the engine; true when some await recording. */
    private boolean takeAdmissions() {
        Admissions.Admission admission;
        while ((admission = admissions.poll()) != null) {
            if (admission.allAbandoned()) {
                admission.recorded().complete(false);
                continue;
            }
            for (PageTask page : admission.pages()) {
                if (!page.abandoned()) {
                    attempts.launched(page.partition(), page.offset());
                }
            }
            recording.add(admission);
        }
        return !recording.isEmpty();
    }

    /**
     * Publishes the done prefixes with their offsets, and records which pages are at the engine; {@code handedBack}
     * partitions are committed even with nothing done, so that what was handed back is recorded before they move.
     */
    private void commitReady(Collection<TopicPartition> handedBack) throws DeliveryException {
        lastCommitNanos = System.nanoTime();
        OffsetTracker.Ready<PageOutcome> ready = tracker.ready();
        // Partitions with nothing done commit where they stand, with their new record of pages at the engine.
        Set<TopicPartition> touched = new HashSet<>(handedBack);
        recording.forEach(a -> a.pages().forEach(page -> touched.add(page.partition())));
        Map<TopicPartition, Long> positions = new HashMap<>();
        touched.forEach(partition -> tracker.first(partition).ifPresent(first -> positions.put(partition, first)));
        positions.putAll(ready.nextOffsets());
        if (positions.isEmpty()) {
            recording.forEach(a -> a.recorded().complete(true));
            recording.clear();
            return;
        }
        List<PageOutcome> pages = ready.all();
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        pages.forEach(page -> page.records().forEach(r -> records.add(tracing.record(r, page.trace()))));
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, offset) -> offsets.put(partition, attempts.commit(partition, offset)));
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
        recording.forEach(a -> a.recorded().complete(true));
        recording.clear();
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
            takeAdmissions();
            commitReady(List.of());
        }
        drainOutcomes();
        takeAdmissions();
        List<TopicPartition> owned = new ArrayList<>(leases.keySet());
        attempts.handBack(owned);
        commitReady(owned);
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
        attempts.drop(partitions);
        // Their pages will not be run here: release the inference stage from waiting on them.
        recording.removeIf(a -> {
            if (a.allAbandoned()) {
                a.recorded().complete(false);
                return true;
            }
            return false;
        });
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
        recording.forEach(a -> a.recorded().complete(false));
        recording.clear();
        attempts.clear();
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
            if (!partitions.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        consumer.committed(Set.copyOf(partitions), COMMITTED_TIMEOUT);
                for (TopicPartition partition : partitions) {
                    int suspects = attempts.load(partition, committed.get(partition));
                    if (suspects > 0) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                () -> partition + ": pages that were at the engine when a worker ended: " + suspects
                                        + "; they run alone");
                    }
                }
            }
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
            takeAdmissions();
            attempts.handBack(partitions);
            try {
                commitReady(partitions);
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
