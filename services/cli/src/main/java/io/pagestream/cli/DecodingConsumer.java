package io.pagestream.cli;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of pagestream topics that decodes each value through the registry with the schema it was written with,
 * so it shows exactly what a consumer would receive, even from writers newer than this build. It reads
 * {@code read_committed} (every producer of pagestream is transactional: never show an aborted record) in a group of
 * its own, committing nothing.
 */
final class DecodingConsumer implements AutoCloseable {
    private final SchemaRegistryClient registry;
    private final KafkaConsumer<String, GenericRecord> consumer;

    /** A consumer of the embedded stack's plain broker and registry. */
    DecodingConsumer(String bootstrap, String registryUrl, List<String> topics, boolean fromBeginning) {
        this(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                RegistryConfig.of(registryUrl),
                topics,
                fromBeginning);
    }

    /**
     * @param kafka    the bootstrap servers and any client settings (security), by Kafka's names; the consumer's own
     *                 settings below win
     * @param registry how to reach the registry
     */
    DecodingConsumer(Map<String, Object> kafka, RegistryConfig registry, List<String> topics, boolean fromBeginning) {
        int maxBytes = topics.stream()
                .mapToInt(t -> Topics.named(t).maxMessageBytes())
                .max()
                .orElse(1 << 20);
        this.registry = new SchemaRegistryClient(registry);
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.putAll(Map.<String, Object>of(
                ConsumerConfig.GROUP_ID_CONFIG,
                ServicePrincipal.WATCH_GROUP_PREFIX + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                fromBeginning ? "earliest" : "latest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                maxBytes));
        consumer = new KafkaConsumer<>(
                settings, new StringDeserializer(), new AvroDeserializer<GenericRecord>(this.registry, null));
        consumer.subscribe(topics);
    }

    ConsumerRecords<String, GenericRecord> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    @Override
    public void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } finally {
            registry.close();
        }
    }
}
