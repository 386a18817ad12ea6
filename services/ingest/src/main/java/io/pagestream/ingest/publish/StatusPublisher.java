package io.pagestream.ingest.publish;

import io.opentelemetry.context.Context;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends REJECTED events to {@code documents.status} with an idempotent producer, from a background thread: the HTTP
 * answer never waits for Kafka. A send that fails (or finds more than 1,000 events queued) is logged with the
 * document id.
 */
public final class StatusPublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StatusPublisher.class.getName());
    private final KafkaProducer<String, DocumentStatus> producer;
    private final TraceHeaders traces;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000),
            r -> {
                Thread t = new Thread(r, "ingest-status-sender");
                t.setDaemon(true);
                return t;
            },
            (r, executor) -> LOG.log(System.Logger.Level.WARNING, "status events are backing up; one was dropped"));

    public StatusPublisher(
            KafkaSettings settings, SchemaRegistryClient registry, boolean autoRegister, TraceHeaders traces) {
        this.traces = traces;
        this.producer = new KafkaProducer<>(
                settings.statusProducer(),
                new StringSerializer(),
                Topics.DOCUMENTS_STATUS.valueSerde(registry, autoRegister).serializer());
    }

    /** Sends {@code status} in the background, with {@code trace} (the caller's, captured now) in its headers. */
    public void send(DocumentStatus status, Context trace) {
        sender.execute(() -> sendNow(status, trace));
    }

    private void sendNow(DocumentStatus status, Context trace) {
        try {
            producer.send(
                    new ProducerRecord<>(
                            Topics.DOCUMENTS_STATUS.name(),
                            null,
                            status.getDocumentId(),
                            status,
                            traces.inject(trace, new RecordHeaders())),
                    (m, e) -> {
                        if (e != null) {
                            LOG.log(
                                    System.Logger.Level.WARNING,
                                    String.format(
                                            "documentId=%s status event %s not published: %s",
                                            status.getDocumentId(), status.getState(), e.toString()));
                        }
                    });
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    String.format(
                            "documentId=%s status event %s not published: %s",
                            status.getDocumentId(), status.getState(), e.toString()));
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
