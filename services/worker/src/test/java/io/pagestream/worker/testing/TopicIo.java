package io.pagestream.worker.testing;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.avro.AvroSerdeConfig;
import io.pagestream.avro.AvroSerializer;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.schema.PageImage;
import io.pagestream.servicetest.RegistryClients;
import io.pagestream.topics.PageKey;
import io.pagestream.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producing page records and reading the worker's output topics as a downstream consumer would (read_committed). */
public final class TopicIo {
    public static final List<String> OUTPUTS =
            Topics.names(Topics.PAGES_OCR, Topics.PAGES_ANSWERS, Topics.PAGES_DLQ, Topics.DOCUMENTS_STATUS);

    private TopicIo() {}

    /** Writes the pages (keyed documentId/pageIndex) and waits until the broker has them all. */
    public static void produce(String bootstrap, String registryUrl, List<PageImage> pages) {
        produce(bootstrap, registryUrl, pages, page -> new RecordHeaders());
    }

    /** As {@link #produce(String, String, List)}, each page with the headers {@code headers} gives it. */
    public static void produce(
            String bootstrap, String registryUrl, List<PageImage> pages, Function<PageImage, Headers> headers) {
        try (SchemaRegistryClient registry = RegistryClients.of(registryUrl);
                KafkaProducer<String, PageImage> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.DOCUMENTS_PAGES.maxMessageBytes()),
                        new StringSerializer(),
                        new AvroSerializer<PageImage>(registry, true))) {
            for (PageImage page : pages) {
                String key = new PageKey(page.getDocumentId(), page.getPageIndex()).toString();
                producer.send(
                        new ProducerRecord<>(Topics.DOCUMENTS_PAGES.name(), null, key, page, headers.apply(page)));
            }
            producer.flush();
        }
    }

    /** A fresh read_committed consumer of every output topic, from the beginning, values as generated classes. */
    public static KafkaConsumer<String, Object> outputs(String bootstrap, String registryUrl) {
        AvroDeserializer<Object> values = new AvroDeserializer<>();
        values.configure(Map.of(RegistryConfig.URL, registryUrl, AvroSerdeConfig.SPECIFIC_READER, "true"), false);
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                values);
        consumer.subscribe(OUTPUTS);
        return consumer;
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout; returns everything read. */
    public static List<ConsumerRecord<String, Object>> readUntil(
            KafkaConsumer<String, Object> consumer,
            List<ConsumerRecord<String, Object>> sofar,
            Predicate<List<ConsumerRecord<String, Object>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, Object>> records = new ArrayList<>(sofar);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    public static <T extends SpecificRecord> List<T> values(
            List<ConsumerRecord<String, Object>> records, String topic, Class<T> type) {
        return records.stream()
                .filter(r -> r.topic().equals(topic))
                .map(r -> type.cast(r.value()))
                .toList();
    }
}
