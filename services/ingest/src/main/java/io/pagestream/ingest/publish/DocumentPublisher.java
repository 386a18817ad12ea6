package io.pagestream.ingest.publish;

import io.opentelemetry.context.Context;
import io.pagestream.avro.AvroSerializer;
import io.pagestream.ingest.render.EncodedPage;
import io.pagestream.ingest.render.SourceGeometry;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.SourcePage;
import io.pagestream.topics.PageKey;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import io.pagestream.topics.TraceHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes whole documents, each in one Kafka transaction: the DocumentRequest, every PageImage, and the ACCEPTED
 * status event. Consumers reading with {@code isolation.level=read_committed} (every pagestream consumer) see all of
 * it or none of it — a crash, a timeout or a refused page aborts the lot.
 *
 * <p>A fixed pool of slots bounds the work in flight: each slot owns one transactional producer whose
 * {@code transactional.id} is {@code <prefix>-<slot>} (the prefix names the instance), stable across restarts, so a
 * restarted instance fences its former self and aborts whatever transaction it left open. A producer that failed is
 * closed and rebuilt on next use or by {@link #rebuildFailed()} in the background, whichever comes first; rebuilding
 * runs {@code initTransactions}, which settles the transaction it had open. A slot whose producer failed reports it
 * ({@link #failedSlots()}) until it is rebuilt, and the time since every slot has been busy is kept
 * ({@link #allBusyForNanos()}): both make readiness.
 */
public final class DocumentPublisher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DocumentPublisher.class.getName());

    private final KafkaSettings settings;
    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final TraceHeaders traces;
    private final BlockingQueue<Slot> free;
    private final List<Slot> all = new ArrayList<>();
    /** Guards {@link #allBusySince} against a slot coming back while another is taken. */
    private final Object busyLock = new Object();
    /** System.nanoTime since which no slot has been free; 0 while one is. */
    private long allBusySince;

    public DocumentPublisher(
            KafkaSettings settings,
            SchemaRegistryClient registry,
            boolean autoRegister,
            String transactionalIdPrefix,
            int slots,
            TraceHeaders traces) {
        this.settings = settings;
        this.traces = traces;
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            Slot slot = new Slot(transactionalIdPrefix + "-" + i);
            all.add(slot);
            free.add(slot);
        }
    }

    /** A free slot, waiting at most {@code wait}; null when every slot stayed busy (back-pressure: answer 503). */
    public Slot acquire(Duration wait) throws InterruptedException {
        Slot slot = free.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (slot != null) {
            synchronized (busyLock) {
                if (free.isEmpty() && allBusySince == 0) {
                    allBusySince = System.nanoTime();
                }
            }
        }
        return slot;
    }

    private void release(Slot slot) {
        synchronized (busyLock) {
            free.add(slot);
            allBusySince = 0;
        }
    }

    /** How long every slot has been busy without one coming back; 0 while one is free. */
    public long allBusyForNanos() {
        synchronized (busyLock) {
            return allBusySince == 0 ? 0 : Math.max(1, System.nanoTime() - allBusySince);
        }
    }

    /** Each slot whose producer failed and is not rebuilt yet, with what failed it. */
    public List<String> failedSlots() {
        List<String> failed = new ArrayList<>();
        for (Slot slot : all) {
            Throwable f = slot.failure;
            if (f != null) {
                failed.add(slot.transactionalId + ": " + rootMessage(f));
            }
        }
        return failed;
    }

    /**
     * Rebuilds the producer of every failed slot that is free (a busy one is rebuilt by its user), blocking up to the
     * publish timeout per slot; true when no slot is left failed.
     */
    public boolean rebuildFailed() {
        for (Slot slot : all) {
            if (slot.failure != null && free.remove(slot)) {
                try {
                    slot.producer();
                } catch (KafkaUnavailable e) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            () -> String.format("rebuilding %s failed: %s", slot.transactionalId, e.getMessage()));
                } finally {
                    release(slot);
                }
            }
        }
        return failedSlots().isEmpty();
    }

    public int slots() {
        return all.size();
    }

    /** Slots in use right now. */
    public int busy() {
        return all.size() - free.size();
    }

    @Override
    public void close() {
        for (Slot slot : all) {
            slot.closeProducer(Duration.ofSeconds(5));
        }
    }

    /** One unit of in-flight work and its transactional producer; release it with {@link #close()}. */
    public final class Slot implements AutoCloseable {
        private final String transactionalId;
        private KafkaProducer<String, SpecificRecord> producer;
        /** What failed the producer; null while it works or was never built. */
        private volatile Throwable failure;

        private Slot(String transactionalId) {
            this.transactionalId = transactionalId;
        }

        /**
         * Publishes the request, the pages read from the spool (built into records by {@code page}), and the ACCEPTED
         * event, in one transaction; every record carries {@code trace} in its headers.
         */
        public void publish(
                DocumentRequest request,
                PageSpool spool,
                IntFunction<PageImage.Builder> page,
                DocumentStatus accepted,
                Context trace)
                throws KafkaUnavailable {
            KafkaProducer<String, SpecificRecord> p = producer();
            String id = request.getDocumentId();
            boolean committed = false;
            try {
                sendInTransaction(p, traces, request, spool, page, accepted, trace);
                committed = true;
            } catch (KafkaException | IOException | java.io.UncheckedIOException e) {
                // Close instead of abortTransaction(): an abort may block as long as the failure did. The next user of
                // this slot builds a producer with the same transactional.id, whose initTransactions settles this one.
                failed(e);
                throw new KafkaUnavailable("Kafka did not take document " + id + ": " + rootMessage(e), e);
            } finally {
                if (!committed && failure == null) {
                    // An Error (or another unexpected throwable) on its way up: the transaction is in an unknown state.
                    failed(new IllegalStateException("publishing " + id + " ended abnormally"));
                }
            }
        }

        private void failed(Throwable cause) {
            failure = cause;
            closeProducer(Duration.ZERO);
        }

        private KafkaProducer<String, SpecificRecord> producer() throws KafkaUnavailable {
            if (producer == null) {
                try {
                    producer = openTransactional(settings, registry, autoRegister, transactionalId);
                } catch (KafkaUnavailable e) {
                    failure = e.getCause();
                    throw e;
                }
                failure = null;
            }
            return producer;
        }

        private void closeProducer(Duration timeout) {
            if (producer != null) {
                try {
                    producer.close(timeout);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> String.format("closing producer %s", transactionalId), e);
                }
                producer = null;
            }
        }

        @Override
        public void close() {
            release(this);
        }
    }

    /**
     * A claim on one document for publishing it: a producer whose transactional id names the document (not the
     * instance), so two instances publishing the same document fence each other; see {@link DocumentClaim}.
     */
    public DocumentClaim claim(String documentId) throws KafkaUnavailable {
        return DocumentClaim.take(
                settings, registry, autoRegister, traces, DocumentClaim.TRANSACTIONAL_ID_PREFIX + documentId);
    }

    /** Publishes a document's deletion under its claim ({@link DocumentClaim#delete}). */
    public void delete(String documentId, String tenant, Context trace)
            throws KafkaUnavailable, DocumentClaim.Superseded {
        try (DocumentClaim claim = claim(documentId)) {
            claim.delete(documentId, tenant, trace);
        }
    }

    /**
     * Sends the request, the pages read from the spool (built into records by {@code page}), and the ACCEPTED event,
     * in one transaction of {@code p}; every record carries {@code trace} in its headers.
     */
    static void sendInTransaction(
            KafkaProducer<String, SpecificRecord> p,
            TraceHeaders traces,
            DocumentRequest request,
            PageSpool spool,
            IntFunction<PageImage.Builder> page,
            DocumentStatus accepted,
            Context trace)
            throws IOException {
        String id = request.getDocumentId();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Callback callback = (metadata, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        };
        Header[] traceHeaders = traces.inject(trace, new RecordHeaders()).toArray();
        try (PageSpool.Reader pages = spool.reader()) {
            p.beginTransaction();
            p.send(record(Topics.DOCUMENTS_REQUESTS, id, request, traceHeaders), callback);
            for (int i = 0; i < spool.pages(); i++) {
                EncodedPage encoded = pages.next();
                PageImage image = page.apply(i)
                        .setImage(ByteBuffer.wrap(encoded.bytes()))
                        .setMediaType(encoded.mediaType())
                        .setWidth(encoded.width())
                        .setHeight(encoded.height())
                        .setSourcePage(sourcePage(encoded.source()))
                        .build();
                p.send(record(Topics.DOCUMENTS_PAGES, new PageKey(id, i).toString(), image, traceHeaders), callback);
                if (failed.get() != null) {
                    throw new KafkaException("a page of " + id + " was not accepted by Kafka", failed.get());
                }
            }
            p.send(record(Topics.DOCUMENTS_STATUS, id, accepted, traceHeaders), callback);
            p.commitTransaction();
        }
    }

    /** A record with its own copy of the trace headers, which are injected once per document. */
    private static <V extends SpecificRecord> ProducerRecord<String, SpecificRecord> record(
            TopicSpec<V> topic, String key, V value, Header[] traceHeaders) {
        return new ProducerRecord<>(topic.name(), null, key, value, new RecordHeaders(traceHeaders));
    }

    private static SourcePage sourcePage(SourceGeometry source) {
        return new SourcePage(source.widthPoints(), source.heightPoints(), source.renderScale());
    }

    /** A transactional producer under {@code transactionalId}, its transactions initialised (fencing any predecessor). */
    static KafkaProducer<String, SpecificRecord> openTransactional(
            KafkaSettings settings, SchemaRegistryClient registry, boolean autoRegister, String transactionalId)
            throws KafkaUnavailable {
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                settings.transactionalProducer(transactionalId),
                new StringSerializer(),
                new AvroSerializer<>(registry, autoRegister));
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new KafkaUnavailable(
                    "Kafka is not reachable (initTransactions for " + transactionalId + "): " + rootMessage(e), e);
        }
        return producer;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
