package io.pagestream.assembler.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.testing.Results;
import io.pagestream.registry.SchemaRegistry;
import io.pagestream.registry.testing.InMemorySchemaRegistry;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.stack.SecureKafka;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Records;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembler's topology, exactly-once, as the assembler principal on a SASL_SSL broker that allows it nothing
 * beyond its ACLs: it joins its group, creates its own changelog topics, and commits what it read in transactions.
 */
@IntegrationTest
class SecuredAssemblerTest {
    private static final String PASSWORD = "assembler-secret";

    @Test
    void runsExactlyOnceUnderItsOwnAcls(@TempDir Path dir) throws Exception {
        QuietKafka.atWarn();
        try (SecureKafka kafka = SecureKafka.start()) {
            try (Admin admin = Admin.create(kafka.adminSettings())) {
                admin.createTopics(Topics.newTopics((short) 1)).all().get(30, TimeUnit.SECONDS);
            }
            kafka.createUser(ServicePrincipal.ASSEMBLER.user(), PASSWORD);
            kafka.createAcls(ServicePrincipal.ASSEMBLER.acls());
            SchemaRegistry registry = new InMemorySchemaRegistry();
            try (KafkaProducer<String, DocumentRequest> producer = new KafkaProducer<>(
                    kafka.adminSettings(),
                    new StringSerializer(),
                    Topics.DOCUMENTS_REQUESTS.valueSerde(registry, true).serializer())) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_REQUESTS.name(), "doc", Results.request("doc", 1)))
                        .get(30, TimeUnit.SECONDS);
            }

            Properties streamsSettings = new Properties();
            streamsSettings.putAll(kafka.clientSecurity(ServicePrincipal.ASSEMBLER.user(), PASSWORD));
            streamsSettings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            streamsSettings.put(StreamsConfig.APPLICATION_ID_CONFIG, ServicePrincipal.ASSEMBLER_APPLICATION_ID);
            streamsSettings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            streamsSettings.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
            streamsSettings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            streamsSettings.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            try (KafkaStreams streams = new KafkaStreams(
                    AssemblerTopology.build(
                            AssemblerSettings.defaults(),
                            registry,
                            true,
                            Stores::inMemoryKeyValueStore,
                            OpenTelemetry.noop()),
                    streamsSettings)) {
                streams.start();
                Map<String, Object> reader = new HashMap<>(kafka.adminSettings());
                reader.put(ConsumerConfig.GROUP_ID_CONFIG, "check");
                reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
                reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                // The changelog appears only once the application created it: look for it again often.
                reader.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
                String changelog = ServicePrincipal.ASSEMBLER_APPLICATION_ID + "-" + AssemblerTopology.DOCUMENTS_STORE
                        + "-changelog";
                try (KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer())) {
                    List<ConsumerRecord<String, byte[]>> stored =
                            Records.poll(consumer, List.of(changelog), 1, Duration.ofSeconds(90));
                    assertEquals(
                            "doc",
                            stored.isEmpty()
                                    ? streams.state().toString()
                                    : stored.get(0).key());
                }
                assertEquals(KafkaStreams.State.RUNNING, streams.state());
            }
        }
    }
}
