package io.pagestream.ingest.publish;

import io.opentelemetry.context.Context;
import io.pagestream.ingest.health.RestartPolicy;
import io.pagestream.ingest.health.SupervisedThread;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends REJECTED events to {@code documents.status} with an idempotent producer, from a background thread: the HTTP
 * answer never waits for Kafka. A send that fails (or finds more than 1,000 events queued) is logged with the
 * document id.
 *
 * <p>The sender is a {@link SupervisedThread}: when its producer is closed or in a fatal state, or an {@code Error}
 * ends the thread, a fresh thread with a fresh producer takes over the queue. Kafka being slow (a retriable error) or
 * an event the registry cannot serialise loses that event only.
 */
public final class StatusPublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StatusPublisher.class.getName());

    private record Event(DocumentStatus status, Context trace) {}

    private final KafkaSettings settings;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final TraceHeaders traces;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(1000);
    private final SupervisedThread sender;

    public StatusPublisher(
            KafkaSettings settings,
            SchemaRegistryClient registry,
            boolean autoRegister,
            TraceHeaders traces,
            RestartPolicy restarts) {
        this.settings = settings;
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.traces = traces;
        this.sender = new SupervisedThread("status-sender", restarts, this::sendAll).start();
    }

    /** The sending thread, for the supervisor. */
    public SupervisedThread sender() {
        return sender;
    }

    /** Sends {@code status} in the background, with {@code trace} (the caller's, captured now) in its headers. */
    public void send(DocumentStatus status, Context trace) {
        if (!queue.offer(new Event(status, trace))) {
            LOG.log(System.Logger.Level.WARNING, "status events are backing up; one was dropped");
        }
    }

    private void sendAll(SupervisedThread.Heartbeat heartbeat) throws InterruptedException {
        try (KafkaProducer<String, DocumentStatus> producer = new KafkaProducer<>(
                settings.statusProducer(),
                new StringSerializer(),
                Topics.DOCUMENTS_STATUS.valueSerde(registry, autoRegister).serializer())) {
            while (heartbeat.active() || !queue.isEmpty()) {
                heartbeat.beat();
                Event event = queue.poll(500, TimeUnit.MILLISECONDS);
                if (event != null) {
                    sendNow(producer, event);
                }
            }
        }
    }

    private void sendNow(KafkaProducer<String, DocumentStatus> producer, Event event) {
        DocumentStatus status = event.status();
        try {
            producer.send(
                    new ProducerRecord<>(
                            Topics.DOCUMENTS_STATUS.name(),
                            null,
                            status.getDocumentId(),
                            status,
                            traces.inject(event.trace(), new RecordHeaders())),
                    (m, e) -> {
                        if (e != null) {
                            notPublished(status, e);
                        }
                    });
        } catch (RetriableException | SerializationException e) {
            notPublished(status, e);
        } catch (RuntimeException e) {
            // The producer is closed or in a fatal state: this thread ends, a fresh producer sends from here on.
            notPublished(status, e);
            throw e;
        }
    }

    private static void notPublished(DocumentStatus status, Exception e) {
        LOG.log(
                System.Logger.Level.WARNING,
                String.format(
                        "documentId=%s status event %s not published: %s",
                        status.getDocumentId(), status.getState(), e.toString()));
    }

    /** Sends what is queued (waiting up to 5 s) and closes the producer. */
    @Override
    public void close() {
        sender.stop(Duration.ofSeconds(5));
    }
}
