package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.Records;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The declared topics, created on a real broker, carry what they are declared to carry. */
@IntegrationTest
class TopicsOnBrokerTest {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    @Test
    void topicsExistWithTheirPartitionsAndSettings() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers()))) {
            var descriptions = admin.describeTopics(
                            Topics.ALL.stream().map(TopicSpec::name).toList())
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            var resources = Topics.ALL.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name()))
                    .toList();
            var configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (TopicSpec<?> topic : Topics.ALL) {
                assertEquals(
                        topic.partitions(),
                        descriptions.get(topic.name()).partitions().size(),
                        topic.name());
                var actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                topic.configs().forEach((k, v) -> assertEquals(v, actual.get(k).value(), topic.name() + " " + k));
            }
        }
    }

    @Test
    void aLargePageImageTravelsThroughThePagesTopic() throws Exception {
        byte[] image = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(image);
        PageImage page = PageImage.newBuilder()
                .setDocumentId("doc-big")
                .setPageIndex(0)
                .setPageCount(1)
                .setImage(ByteBuffer.wrap(image))
                .setMediaType("image/png")
                .setWidth(1344)
                .setHeight(1792)
                .setTasks(List.of(Task.OCR))
                .setSubmittedAt(Instant.ofEpochMilli(1_790_000_000_000L))
                .build();
        try (var registry = RegistryClients.of(STACK.registryUrl())) {
            var serde = Topics.DOCUMENTS_PAGES.valueSerde(registry, true);
            try (var producer = new KafkaProducer<>(
                    Map.<String, Object>of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers(),
                            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.DOCUMENTS_PAGES.maxMessageBytes()),
                    new StringSerializer(),
                    serde.serializer())) {
                producer.send(new ProducerRecord<>(
                                Topics.DOCUMENTS_PAGES.name(), new PageKey("doc-big", 0).toString(), page))
                        .get(60, TimeUnit.SECONDS);
            }
            List<PageImage> got;
            try (var consumer = new KafkaConsumer<>(
                    Map.<String, Object>of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            STACK.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "pages-test",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                            Topics.DOCUMENTS_PAGES.maxMessageBytes()),
                    new StringDeserializer(),
                    serde.deserializer())) {
                got = Records.values(consumer, List.of(Topics.DOCUMENTS_PAGES.name()), 1, Duration.ofSeconds(60));
            }
            assertEquals(1, got.size());
            assertTrue(got.get(0).getImage().equals(ByteBuffer.wrap(image)), "image bytes intact");
        }
    }
}
