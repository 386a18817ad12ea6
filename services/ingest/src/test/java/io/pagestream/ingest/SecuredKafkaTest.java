package io.pagestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.ingest.publish.KafkaSettings;
import io.pagestream.shell.ClientSettings;
import io.pagestream.shell.ShellConfig;
import io.pagestream.stack.SecureKafka;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest's own Kafka clients, configured only through the shell's {@code pagestream.kafka.config-file}, publish and
 * read back on a SASL_SSL broker that allows the ingest principal nothing beyond its ACLs.
 */
@IntegrationTest
class SecuredKafkaTest {

    @Test
    void ingestsClientsWorkFromTheConfigFileAlone(@TempDir Path dir) throws Exception {
        QuietKafka.atWarn();
        try (SecureKafka kafka = SecureKafka.start()) {
            try (Admin admin = Admin.create(kafka.adminSettings())) {
                admin.createTopics(Topics.newTopics((short) 1)).all().get(30, TimeUnit.SECONDS);
            }
            kafka.createUser(ServicePrincipal.INGEST.user(), "ingest-secret");
            kafka.createAcls(ServicePrincipal.INGEST.acls());
            Path file = kafka.writeClientProperties(
                    ServicePrincipal.INGEST.user(), "ingest-secret", dir.resolve("client.properties"));
            KafkaSettings settings = new KafkaSettings(
                    shellSettings(Map.of(
                                    "pagestream.kafka.bootstrap-servers", kafka.bootstrapServers(),
                                    "pagestream.kafka.config-file", file.toString()))
                            .kafka(),
                    Duration.ofSeconds(30));

            String transactionalId = ServicePrincipal.INGEST_TRANSACTIONAL_ID_PREFIX + "secured-0";
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    settings.transactionalProducer(transactionalId), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_REQUESTS.name(), "doc-1", "request"));
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_PAGES.name(), "doc-1/0", "page"));
                producer.commitTransaction();
            }
            try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(
                    settings.committedReader(), new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < Topics.DOCUMENTS_REQUESTS.partitions(); p++) {
                    partitions.add(new TopicPartition(Topics.DOCUMENTS_REQUESTS.name(), p));
                }
                reader.assign(partitions);
                List<String> keys = new ArrayList<>();
                Wait.atMost(Duration.ofSeconds(30), () -> {
                    reader.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                    return !keys.isEmpty();
                });
                assertEquals(List.of("doc-1"), keys);
            }
        }
    }

    private static ClientSettings shellSettings(Map<String, String> properties) {
        return ClientSettings.of(new SmallRyeConfigBuilder()
                .withMapping(ShellConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(ShellConfig.class));
    }
}
