package io.pagestream.assembler.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.state.StateSerdes;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The assembler's whole topology. The request, page results and page failures of a document share its key and the
 * same partition count, so they are merged as they come and handed to one {@link DocumentAssembler} per partition,
 * which keeps three stores and forwards the document's outputs; these are routed to their topics by type.
 *
 * <pre>
 * documents.requests ─┐
 * pages.ocr ──────────┤                      ┌─▶ documents.ocr      (DocumentOcr, one per chunk)
 * pages.answers ──────┼─▶ assemble ──────────┼─▶ documents.answers  (DocumentAnswers, one per chunk)
 * pages.dlq ──────────┘   [documents, pages, └─▶ documents.status   (COMPLETED / INCOMPLETE)
 *                          deadlines]
 * </pre>
 */
public final class AssemblerTopology {
    /** Document id → {@code DocumentProgress}: request, pages done, open or closed. */
    public static final String DOCUMENTS_STORE = "assembler-documents";
    /** {@code documentId/pageIndex} (zero-padded) → {@code PageResult}: one small value per page. */
    public static final String PAGES_STORE = "assembler-pages";
    /** {@code deadline/documentId} → document id: when to look at a document again for its timeout or retention. */
    public static final String DEADLINES_STORE = "assembler-deadlines";

    /** What the assembler reads; Quarkus waits for these (and the outputs) to exist before starting. */
    public static final List<String> INPUT_TOPICS =
            Topics.names(Topics.DOCUMENTS_REQUESTS, Topics.PAGES_OCR, Topics.PAGES_ANSWERS, Topics.PAGES_DLQ);

    public static final List<String> OUTPUT_TOPICS =
            Topics.names(Topics.DOCUMENTS_OCR, Topics.DOCUMENTS_ANSWERS, Topics.DOCUMENTS_STATUS);

    private AssemblerTopology() {}

    /**
     * The topology with persistent (RocksDB) stores.
     *
     * @param autoRegister  register the output schemas on first use (else they must be registered beforehand)
     * @param openTelemetry where the document spans go and how trace context is read from and written to headers
     */
    public static Topology build(
            AssemblerSettings settings, SchemaRegistry registry, boolean autoRegister, OpenTelemetry openTelemetry) {
        return build(settings, registry, autoRegister, Stores::persistentKeyValueStore, openTelemetry);
    }

    /**
     * @param stores the store for a name. Persistent in the application; in-memory (changelogged all the same) where
     *               a test commits after every record, which costs RocksDB a flush each time
     */
    public static Topology build(
            AssemblerSettings settings,
            SchemaRegistry registry,
            boolean autoRegister,
            Function<String, KeyValueBytesStoreSupplier> stores,
            OpenTelemetry openTelemetry) {
        DocumentTracing tracing = new DocumentTracing(openTelemetry);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(DOCUMENTS_STORE), Serdes.String(), StateSerdes.progress())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(PAGES_STORE), Serdes.String(), StateSerdes.pages())
                        .withCachingEnabled());
        builder.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(DEADLINES_STORE), Serdes.String(), Serdes.String()));

        KStream<String, SpecificRecord> outputs = read(builder, Topics.DOCUMENTS_REQUESTS, registry)
                .merge(read(builder, Topics.PAGES_OCR, registry))
                .merge(read(builder, Topics.PAGES_ANSWERS, registry))
                .merge(read(builder, Topics.PAGES_DLQ, registry))
                .process(
                        () -> new DocumentAssembler(settings, tracing),
                        Named.as("assemble"),
                        DOCUMENTS_STORE,
                        PAGES_STORE,
                        DEADLINES_STORE);

        write(outputs, Topics.DOCUMENTS_OCR, registry, autoRegister);
        write(outputs, Topics.DOCUMENTS_ANSWERS, registry, autoRegister);
        write(outputs, Topics.DOCUMENTS_STATUS, registry, autoRegister);
        return builder.build();
    }

    private static <V extends SpecificRecord> KStream<String, SpecificRecord> read(
            StreamsBuilder builder, TopicSpec<V> topic, SchemaRegistry registry) {
        return builder.stream(
                        topic.name(),
                        Consumed.with(topic.keySerde(), topic.valueSerde(registry, false))
                                .withName("read-" + topic.name()))
                .mapValues(value -> (SpecificRecord) value, Named.as("as-input-" + topic.name()));
    }

    private static <V extends SpecificRecord> void write(
            KStream<String, SpecificRecord> outputs,
            TopicSpec<V> topic,
            SchemaRegistry registry,
            boolean autoRegister) {
        outputs.filter((documentId, record) -> topic.valueType().isInstance(record), Named.as("only-" + topic.name()))
                .mapValues(record -> topic.valueType().cast(record), Named.as("as-" + topic.name()))
                .to(
                        topic.name(),
                        Produced.with(topic.keySerde(), topic.valueSerde(registry, autoRegister))
                                .withName("write-" + topic.name()));
    }
}
