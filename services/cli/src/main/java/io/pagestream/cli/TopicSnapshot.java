package io.pagestream.cli;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything a topic holds now, as a downstream consumer would see it: {@code read_committed}, every partition from
 * the beginning up to its last stable offset, no consumer group (so no rebalance can hand it a record twice), each value
 * decoded through the registry with the schema it was written with.
 */
final class TopicSnapshot {
    private static final Duration READ_WITHIN = Duration.ofMinutes(5);

    private TopicSnapshot() {}

    /** The values of {@code topic} in partition order, tombstones left out. */
    static List<GenericRecord> read(String bootstrap, String registryUrl, String topic) {
        try (SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(registryUrl));
                KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(
                        Map.<String, Object>of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                Topics.named(topic).maxMessageBytes()),
                        new StringDeserializer(),
                        new AvroDeserializer<GenericRecord>(registry, null))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<GenericRecord> values = new ArrayList<>();
            long until = System.nanoTime() + READ_WITHIN.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(topic + " could not be read to its end within " + READ_WITHIN);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.value() != null) {
                        values.add(r.value());
                    }
                });
            }
            return values;
        }
    }
}
