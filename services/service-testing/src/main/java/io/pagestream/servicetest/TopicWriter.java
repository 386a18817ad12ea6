package io.pagestream.servicetest;

import io.pagestream.avro.AvroSerializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.PageImage;
import io.pagestream.topics.PageKey;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes records as the service upstream of a test would: each to the topic that carries its type ({@link Topics}),
 * keyed as that topic is (its document id, on documents.pages its {@link PageKey}), its schema registered.
 */
public final class TopicWriter implements AutoCloseable {
    private final SchemaRegistryClient registry;
    private final KafkaProducer<String, SpecificRecord> producer;

    public TopicWriter(String bootstrapServers, String registryUrl) {
        registry = RegistryClients.of(registryUrl);
        int largest =
                Topics.ALL.stream().mapToInt(TopicSpec::maxMessageBytes).max().orElseThrow();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, largest),
                new StringSerializer(),
                new AvroSerializer<>(registry, true));
    }

    /** Writes the records and returns once the broker has them all. */
    public static void writeAll(String bootstrapServers, String registryUrl, List<? extends SpecificRecord> records) {
        writeAll(bootstrapServers, registryUrl, records, record -> new RecordHeaders());
    }

    /** As {@link #writeAll(String, String, List)}, each record with the headers {@code headers} gives it. */
    public static <T extends SpecificRecord> void writeAll(
            String bootstrapServers, String registryUrl, List<T> records, Function<? super T, Headers> headers) {
        try (TopicWriter writer = new TopicWriter(bootstrapServers, registryUrl)) {
            records.forEach(record -> writer.send(record, headers.apply(record)));
            writer.flush();
        }
    }

    public void send(SpecificRecord... records) {
        for (SpecificRecord record : records) {
            send(record, new RecordHeaders());
        }
    }

    public void send(SpecificRecord record, Headers headers) {
        producer.send(new ProducerRecord<>(topicOf(record).name(), null, keyOf(record), record, headers));
    }

    /** Sends and waits for the broker to have them, so a test knows its records are in. */
    public void sendNow(SpecificRecord... records) {
        send(records);
        flush();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
        registry.close();
    }

    private static TopicSpec<?> topicOf(SpecificRecord record) {
        return Topics.ALL.stream()
                .filter(topic -> topic.valueType() == record.getClass())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no topic carries " + record.getSchema().getFullName()));
    }

    private static String keyOf(SpecificRecord record) {
        if (record instanceof PageImage page) {
            return new PageKey(page.getDocumentId(), page.getPageIndex()).toString();
        }
        Schema.Field documentId = record.getSchema().getField("documentId");
        if (documentId == null) {
            throw new IllegalArgumentException(record.getSchema().getFullName() + " has no documentId to key it by");
        }
        return record.get(documentId.pos()).toString();
    }
}
