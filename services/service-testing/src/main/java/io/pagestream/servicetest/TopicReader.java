package io.pagestream.servicetest;

import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics as the service downstream of a test would: only committed records (read_committed), values as their
 * generated classes. It reads every partition from the beginning without a consumer group, so no rebalance (a paused
 * broker, a slow poll) ever hands it a record twice. A Kafka consumer: one thread at a time.
 */
public final class TopicReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final SchemaRegistryClient registry;
    private final KafkaConsumer<String, SpecificRecord> consumer;

    public TopicReader(String bootstrapServers, String registryUrl, List<TopicSpec<?>> topics) {
        registry = RegistryClients.of(registryUrl);
        // Each topic's values are read into the class its spec names, not looked up by the writer's schema name: in a
        // Quarkus test the generated classes are loaded twice, and only the spec's loader is the test's.
        Map<String, Deserializer<? extends SpecificRecord>> readers = topics.stream()
                .collect(Collectors.toMap(
                        TopicSpec::name, topic -> new AvroDeserializer<>(registry, topic.valueType())));
        Deserializer<SpecificRecord> values =
                (topic, data) -> readers.get(topic).deserialize(topic, data);
        int largest = topics.stream().mapToInt(TopicSpec::maxMessageBytes).max().orElseThrow();
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        largest,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                values);
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicSpec<?> topic : topics) {
            consumer.partitionsFor(topic.name())
                    .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** What one poll brings (waiting up to 200 ms for something). */
    public List<ConsumerRecord<String, SpecificRecord>> poll() {
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        consumer.poll(POLL).forEach(records::add);
        return records;
    }

    /**
     * Polls until {@code done} holds for everything read so far ({@code sofar} first), or the timeout passed; returns
     * everything read. A zero timeout only checks {@code sofar}.
     */
    public List<ConsumerRecord<String, SpecificRecord>> readUntil(
            List<ConsumerRecord<String, SpecificRecord>> sofar,
            Predicate<List<ConsumerRecord<String, SpecificRecord>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>(sofar);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            records.addAll(poll());
        }
        return records;
    }

    /** The values of {@code topic} among {@code records}, in the order read. */
    public static <T extends SpecificRecord> List<T> values(
            List<ConsumerRecord<String, SpecificRecord>> records, TopicSpec<T> topic) {
        return records.stream()
                .filter(r -> r.topic().equals(topic.name()))
                .map(r -> topic.valueType().cast(r.value()))
                .toList();
    }

    @Override
    public void close() {
        consumer.close();
        registry.close();
    }
}
