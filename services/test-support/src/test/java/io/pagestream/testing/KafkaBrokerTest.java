package io.pagestream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.stack.Directories;
import io.pagestream.stack.KafkaBrokerProcess;
import io.pagestream.stack.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-process broker behind {@link LocalStackExtension}, and the child-process broker that local runs use. */
@IntegrationTest
class KafkaBrokerTest {
    static final int BIG = 8 * 1024 * 1024;

    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.kafka()
            .withTopics(List.of(
                    new NewTopic("stack.small", 2, (short) 1),
                    new NewTopic("stack.big", 1, (short) 1).configs(Map.of("max.message.bytes", String.valueOf(BIG)))));

    @Test
    void roundTripsRecordsAndHonoursPerTopicMessageSize() throws Exception {
        byte[] threeMb = new byte[3 * 1024 * 1024];
        threeMb[12345] = 42;
        try (var producer = producer(STACK.bootstrapServers())) {
            producer.send(new ProducerRecord<>("stack.big", "k".getBytes(), threeMb))
                    .get();
            ExecutionException tooLarge = assertThrows(ExecutionException.class, () -> producer.send(
                            new ProducerRecord<>("stack.small", "k".getBytes(), threeMb))
                    .get());
            assertInstanceOf(RecordTooLargeException.class, tooLarge.getCause());
        }
        List<ConsumerRecord<byte[], byte[]>> got = consume(STACK.bootstrapServers(), "stack.big", 1);
        assertEquals(1, got.size());
        assertEquals(42, got.get(0).value()[12345]);
    }

    @Test
    void childProcessBrokerServesSurvivesACrashAndStopsCleanly() throws Exception {
        Path dir = Files.createTempDirectory("pagestream-child-broker-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir, 0, 0)) {
            TopicAdmin.createMissing(broker.bootstrapServers(), List.of(new NewTopic("child.t", 1, (short) 1)));
            try (var producer = producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>("child.t", "k".getBytes(), "v".getBytes()))
                        .get();
                long before = broker.process().pid();
                broker.crashAndRestart();
                assertNotEquals(before, broker.process().pid(), "a new broker process");
                // The same producer reconnects to the same address, and the restarted broker kept what it had.
                producer.send(new ProducerRecord<>("child.t", "k".getBytes(), "w".getBytes()))
                        .get();
            }
            assertEquals(
                    List.of("v", "w"),
                    consume(broker.bootstrapServers(), "child.t", 2).stream()
                            .map(r -> new String(r.value()))
                            .toList());
            broker.close();
            assertFalse(broker.process().isAlive(), "the broker process is gone after close");
        } finally {
            Directories.deleteQuietly(dir);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, BIG,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrap, String topic, int count) {
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        BIG),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return Records.poll(consumer, List.of(topic), count, Duration.ofSeconds(30));
        }
    }
}
