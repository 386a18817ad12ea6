package io.pagestream.assembler.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.state.DocumentProgress;
import io.pagestream.assembler.state.PageResult;
import io.pagestream.assembler.topology.AssemblerSettings;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.assembler.topology.SkipCorruptRecords;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.DocumentAnswers;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageOcr;
import io.pagestream.stack.Directories;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The assembler's topology in a {@link TopologyTestDriver}, with the real serdes against the registry it is given (the
 * topology tests give it kafka-avro's in-memory one).
 */
public final class AssemblerDriver implements AutoCloseable {
    public static final Instant START = Instant.parse("2026-11-22T12:00:00Z");

    private final TopologyTestDriver driver;
    private final Path stateDir;
    private final SchemaRegistry registry;
    public final TestInputTopic<String, DocumentRequest> requests;
    public final TestInputTopic<String, PageOcr> ocr;
    public final TestInputTopic<String, PageAnswers> answers;
    public final TestInputTopic<String, PageFailure> failures;
    public final TestOutputTopic<String, DocumentOcr> documentOcr;
    public final TestOutputTopic<String, DocumentAnswers> documentAnswers;
    public final TestOutputTopic<String, DocumentStatus> status;

    /**
     * In-memory stores, an in-memory registry, a 10-minute document timeout, an hour's retention and a 10 s punctuation:
     * what a test of one document's life needs.
     */
    public static AssemblerDriver inMemory() {
        AssemblerSettings defaults = AssemblerSettings.defaults();
        return new AssemblerDriver(
                new AssemblerSettings(
                        Duration.ofMinutes(10),
                        Duration.ofHours(1),
                        Duration.ofSeconds(10),
                        defaults.chunkMaxPages(),
                        defaults.chunkMaxBytes(),
                        defaults.statusMaxMissingPages()),
                new InMemorySchemaRegistry(),
                Stores::inMemoryKeyValueStore);
    }

    /** With the application's persistent (RocksDB) stores. */
    public AssemblerDriver(AssemblerSettings settings, SchemaRegistry registry) {
        this(settings, registry, Stores::persistentKeyValueStore);
    }

    /**
     * The driver commits after every record, and a commit flushes RocksDB: thousands of records are much faster on
     * in-memory stores.
     */
    public AssemblerDriver(
            AssemblerSettings settings, SchemaRegistry registry, Function<String, KeyValueBytesStoreSupplier> stores) {
        this(settings, registry, stores, OpenTelemetry.noop());
    }

    /** With {@code openTelemetry} for the document spans and the trace headers. */
    public AssemblerDriver(
            AssemblerSettings settings,
            SchemaRegistry registry,
            Function<String, KeyValueBytesStoreSupplier> stores,
            OpenTelemetry openTelemetry) {
        this.registry = registry;
        try {
            stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "streams-state")), "ttd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "assembler-test-" + UUID.randomUUID());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipCorruptRecords.class.getName());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(
                AssemblerTopology.build(settings, registry, true, stores, openTelemetry), config, START);
        requests = input(Topics.DOCUMENTS_REQUESTS);
        ocr = input(Topics.PAGES_OCR);
        answers = input(Topics.PAGES_ANSWERS);
        failures = input(Topics.PAGES_DLQ);
        documentOcr = output(Topics.DOCUMENTS_OCR);
        documentAnswers = output(Topics.DOCUMENTS_ANSWERS);
        status = output(Topics.DOCUMENTS_STATUS);
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(TopicSpec<V> topic) {
        return driver.createInputTopic(
                topic.name(),
                new StringSerializer(),
                topic.valueSerde(registry, true).serializer());
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(TopicSpec<V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                new StringDeserializer(),
                topic.valueSerde(registry, true).deserializer());
    }

    /** Bytes as they are, for records no serializer would write. */
    public TestInputTopic<String, byte[]> raw(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    public void pipe(SpecificRecord... records) {
        for (SpecificRecord record : records) {
            switch (record) {
                case DocumentRequest r -> requests.pipeInput(r.getDocumentId(), r);
                case PageOcr o -> ocr.pipeInput(o.getDocumentId(), o);
                case PageAnswers a -> answers.pipeInput(a.getDocumentId(), a);
                case PageFailure f -> failures.pipeInput(f.getDocumentId(), f);
                default -> throw new IllegalArgumentException("not an assembler input: " + record.getSchema());
            }
        }
    }

    public void advance(Duration wallClock) {
        driver.advanceWallClockTime(wallClock);
    }

    public KeyValueStore<String, DocumentProgress> documents() {
        return driver.getKeyValueStore(AssemblerTopology.DOCUMENTS_STORE);
    }

    public KeyValueStore<String, PageResult> pages() {
        return driver.getKeyValueStore(AssemblerTopology.PAGES_STORE);
    }

    public KeyValueStore<String, String> deadlines() {
        return driver.getKeyValueStore(AssemblerTopology.DEADLINES_STORE);
    }

    public static <K, V> long count(KeyValueStore<K, V> store) {
        try (var all = store.all()) {
            long n = 0;
            while (all.hasNext()) {
                all.next();
                n++;
            }
            return n;
        }
    }

    /** Everything the three output topics hold now (and drains them). */
    public List<SpecificRecord> drain() {
        List<SpecificRecord> all = new ArrayList<>();
        all.addAll(documentOcr.readValuesToList());
        all.addAll(documentAnswers.readValuesToList());
        all.addAll(status.readValuesToList());
        return all;
    }

    @Override
    public void close() {
        driver.close();
        Directories.deleteQuietly(stateDir);
    }
}
