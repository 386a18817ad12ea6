package io.pagestream.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.registry.RegistryConfig;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.PageOcr;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.Records;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wire contract: records written and read through a real broker, with schemas registered in and fetched from a
 * real Apicurio over the Confluent API by serdes configured as a Kafka client configures them.
 */
@IntegrationTest
class AvroSerdeWireTest {
    static final String TOPIC = "serde.pages.ocr";

    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));

    static SchemaRegistryClient client;

    @BeforeAll
    static void connect() {
        client = RegistryClients.of(STACK.registryUrl());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void specificRecordsTravelThroughKafkaConfiguredByClassName() {
        PageOcr sent = Samples.pageOcr("doc-1", 2);
        Map<String, Object> producerConfig = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName(),
                RegistryConfig.URL, STACK.registryUrl()));
        try (var producer = new KafkaProducer<String, PageOcr>(producerConfig)) {
            producer.send(new ProducerRecord<>(TOPIC, sent.getDocumentId(), sent))
                    .get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Map<String, Object> consumerConfig = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName(),
                RegistryConfig.URL, STACK.registryUrl(),
                AvroSerdeConfig.SPECIFIC_READER, "true"));
        List<PageOcr> received;
        try (var consumer = new KafkaConsumer<String, PageOcr>(consumerConfig)) {
            received = Records.values(consumer, List.of(TOPIC), 1, Duration.ofSeconds(30));
        }
        assertEquals(List.of(sent), received);
        assertEquals(
                List.of(TOPIC + "-value"),
                client.subjects().stream().filter(s -> s.startsWith(TOPIC)).toList());
    }
}
