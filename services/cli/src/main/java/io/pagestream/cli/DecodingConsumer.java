package io.pagestream.cli;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.time.Duration;
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

    DecodingConsumer(String bootstrap, String registryUrl, List<String> topics, boolean fromBeginning) {
        int maxBytes = topics.stream()
                .mapToInt(t -> Topics.named(t).maxMessageBytes())
                .max()
                .orElse(1 << 20);
        registry = new SchemaRegistryClient(RegistryConfig.of(registryUrl));
        consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        ServicePrincipal.WATCH_GROUP_PREFIX + UUID.randomUUID(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        fromBeginning ? "earliest" : "latest",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        maxBytes),
                new StringDeserializer(),
                new AvroDeserializer<GenericRecord>(registry, null));
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
