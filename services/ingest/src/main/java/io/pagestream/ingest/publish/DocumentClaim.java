package io.pagestream.ingest.publish;

import io.opentelemetry.context.Context;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageImage;
import io.pagestream.topics.Deletions;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The right to publish one document with a deterministic id (from an idempotency key or the client's own), arbitrated
 * by Kafka's transaction coordinator: the producer's transactional id is {@code pagestream-document-<documentId>},
 * the same on every instance. Taking the claim ({@code initTransactions}) fences whichever instance held it and waits
 * until that instance's open transaction is settled — committed if it had committed, aborted otherwise. So after
 * {@link #take} returns, a lookup of the idempotency table sees the other instance's document if it was published;
 * and if this claim is taken over in turn while publishing, {@link #publish} fails with {@link Superseded} and nothing
 * of this attempt is ever visible to a {@code read_committed} reader. Exactly one instance publishes the document.
 *
 * <p>Cost: one producer and one {@code initTransactions} per keyed document, and one transactional id per document
 * on the broker until its {@code transactional.id.expiration.ms} (7 days by default) forgets it.
 */
public final class DocumentClaim implements AutoCloseable {
    static final String TRANSACTIONAL_ID_PREFIX = ServicePrincipal.DOCUMENT_CLAIM_TRANSACTIONAL_ID_PREFIX;

    /** Another instance took the claim while this one was publishing: its outcome stands, this attempt is aborted. */
    public static final class Superseded extends Exception {
        Superseded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final TraceHeaders traces;

    private DocumentClaim(KafkaProducer<String, SpecificRecord> producer, TraceHeaders traces) {
        this.producer = producer;
        this.traces = traces;
    }

    static DocumentClaim take(
            KafkaSettings settings,
            SchemaRegistryClient registry,
            boolean autoRegister,
            TraceHeaders traces,
            String transactionalId)
            throws KafkaUnavailable {
        return new DocumentClaim(
                DocumentPublisher.openTransactional(settings, registry, autoRegister, transactionalId), traces);
    }

    /** Publishes the document in one transaction, as {@link DocumentPublisher.Slot#publish} does. */
    public void publish(
            DocumentRequest request,
            PageSpool spool,
            IntFunction<PageImage.Builder> page,
            DocumentStatus accepted,
            Context trace)
            throws KafkaUnavailable, Superseded {
        String id = request.getDocumentId();
        try {
            DocumentPublisher.sendInTransaction(producer, traces, request, spool, page, accepted, trace);
        } catch (KafkaException | IOException | java.io.UncheckedIOException e) {
            if (fenced(e)) {
                throw new Superseded("another instance took over publishing " + id, e);
            }
            throw new KafkaUnavailable(
                    "Kafka did not take document " + id + ": " + DocumentPublisher.rootMessage(e), e);
        }
    }

    /**
     * Publishes the document's deletion ({@link Deletions}: a tombstone on documents.requests naming its tenant) in one
     * transaction, so no publish of the same id on another instance interleaves with it.
     */
    public void delete(String documentId, String tenant, Context trace) throws KafkaUnavailable, Superseded {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    Topics.DOCUMENTS_REQUESTS.name(),
                    null,
                    documentId,
                    null,
                    Deletions.headers(tenant, traces.inject(trace, new RecordHeaders()))));
            producer.commitTransaction();
        } catch (KafkaException e) {
            if (fenced(e)) {
                throw new Superseded("another instance took over publishing " + documentId, e);
            }
            throw new KafkaUnavailable(
                    "Kafka did not take the deletion of " + documentId + ": " + DocumentPublisher.rootMessage(e), e);
        }
    }

    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** Closes the producer at once: after a commit nothing is pending, after a failure its successor settles it. */
    @Override
    public void close() {
        producer.close(Duration.ZERO);
    }
}
