package io.pagestream.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagestream.stack.SecureKafka;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The principals' ACLs on a broker that authenticates (SASL_SSL with SCRAM-SHA-512, and mTLS on a second listener)
 * and authorizes ({@code StandardAuthorizer}, nothing allowed without an ACL): a client configured from the properties
 * file a service would be given does its work, and is refused, naming the topic, where its principal has no right.
 * A certificate logs in as the same principal as its CN's SCRAM user, under the same ACLs.
 */
@IntegrationTest
class SecuredBrokerTest {
    private static final String INGEST_PASSWORD = "ingest-secret";
    private static final String WORKER_PASSWORD = "worker-secret";
    private static SecureKafka kafka;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        QuietKafka.atWarn();
        kafka = SecureKafka.start();
        try (Admin admin = Admin.create(kafka.adminSettings())) {
            admin.createTopics(Topics.newTopics((short) 1)).all().get(30, TimeUnit.SECONDS);
        }
        kafka.createUser(ServicePrincipal.INGEST.user(), INGEST_PASSWORD);
        kafka.createUser(ServicePrincipal.WORKER.user(), WORKER_PASSWORD);
        kafka.createAcls(ServicePrincipal.allAcls());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void ingestPublishesUnderBothOfItsTransactionalIdsAndReadsItsRequestsBack(@TempDir Path dir) throws Exception {
        Map<String, Object> ingest = ingestSettings(dir);
        List<String> transactionalIds = List.of(
                ServicePrincipal.INGEST_TRANSACTIONAL_ID_PREFIX + "test-0",
                ServicePrincipal.DOCUMENT_CLAIM_TRANSACTIONAL_ID_PREFIX + "doc-1");
        for (String transactionalId : transactionalIds) {
            try (KafkaProducer<String, String> producer = producer(ingest, transactionalId)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_REQUESTS.name(), transactionalId, "request"));
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_PAGES.name(), transactionalId + "/0", "page"));
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS_STATUS.name(), transactionalId, "accepted"));
                producer.commitTransaction();
            }
        }

        assertEquals(
                Map.of(transactionalIds.get(0), "request", transactionalIds.get(1), "request"),
                committedRequests(ingest, Set.copyOf(transactionalIds)));
    }

    @Test
    void ingestWritingTheWorkersTopicIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        assertWritingTheWorkersTopicIsRefusedNamingIt(ingestSettings(dir));
    }

    @Test
    void ingestsCertificatePublishesUnderItsTransactionalIdAndReadsItsRequestBack(@TempDir Path dir) throws Exception {
        Map<String, Object> ingest = certificateSettings(dir, ServicePrincipal.INGEST);
        try (KafkaProducer<String, String> producer =
                producer(ingest, ServicePrincipal.INGEST_TRANSACTIONAL_ID_PREFIX + "mtls-0")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS_REQUESTS.name(), "doc-mtls", "request over mTLS"));
            producer.commitTransaction();
        }
        assertEquals(Map.of("doc-mtls", "request over mTLS"), committedRequests(ingest, Set.of("doc-mtls")));
    }

    @Test
    void ingestsCertificateWritingTheWorkersTopicIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        assertWritingTheWorkersTopicIsRefusedNamingIt(certificateSettings(dir, ServicePrincipal.INGEST));
    }

    @Test
    void aClientWithoutACertificateIsRefusedByTheCertificateListener(@TempDir Path dir) throws Exception {
        Map<String, Object> settings = new HashMap<>(certificateSettings(dir, ServicePrincipal.INGEST));
        settings.keySet().removeIf(key -> key.startsWith("ssl.keystore."));
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(settings)) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SslAuthenticationException.class, refused.getCause(), refused::toString);
        }
    }

    private static void assertWritingTheWorkersTopicIsRefusedNamingIt(Map<String, Object> ingest) {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(ingest, new StringSerializer(), new StringSerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(
                            new ProducerRecord<>(Topics.PAGES_OCR.name(), "doc", "not ingest's"))
                    .get(30, TimeUnit.SECONDS));
            TopicAuthorizationException cause =
                    assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused::toString);
            assertEquals(Set.of(Topics.PAGES_OCR.name()), cause.unauthorizedTopics());
        }
    }

    /** The worker's cycle: pages read in its group, results and the offsets committed in one transaction. */
    @Test
    void theWorkerConsumesInItsGroupAndCommitsResultsWithItsOffsets(@TempDir Path dir) throws Exception {
        try (KafkaProducer<String, String> ingest = producer(
                settings(dir, ServicePrincipal.INGEST, INGEST_PASSWORD),
                ServicePrincipal.INGEST_TRANSACTIONAL_ID_PREFIX + "for-worker-0")) {
            ingest.initTransactions();
            ingest.beginTransaction();
            ingest.send(new ProducerRecord<>(Topics.DOCUMENTS_PAGES.name(), "doc-w/0", "page"));
            ingest.commitTransaction();
        }
        Map<String, Object> worker = settings(dir, ServicePrincipal.WORKER, WORKER_PASSWORD);
        Map<String, Object> consumerSettings = new HashMap<>(worker);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, ServicePrincipal.WORKER_GROUP);
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<TopicPartition, OffsetAndMetadata> done;
        try (KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new StringDeserializer());
                KafkaProducer<String, String> producer =
                        producer(worker, ServicePrincipal.WORKER_TRANSACTIONAL_ID_PREFIX + "test-0")) {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.DOCUMENTS_PAGES.name()));
            List<ConsumerRecord<String, String>> pages = new ArrayList<>();
            Wait.atMost(Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(pages::add);
                return pages.stream().anyMatch(r -> r.key().equals("doc-w/0"));
            });
            ConsumerRecord<String, String> page = pages.stream()
                    .filter(r -> r.key().equals("doc-w/0"))
                    .findFirst()
                    .orElseThrow();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.PAGES_OCR.name(), "doc-w", "ocr"));
            done = Map.of(new TopicPartition(page.topic(), page.partition()), new OffsetAndMetadata(page.offset() + 1));
            producer.sendOffsetsToTransaction(done, consumer.groupMetadata());
            producer.commitTransaction();
        }
        try (Admin admin = Admin.create(kafka.adminSettings())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                            ServicePrincipal.WORKER_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            done.forEach((partition, offset) ->
                    assertEquals(offset.offset(), committed.get(partition).offset(), partition::toString));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> settings = new HashMap<>(kafka.clientSecurity(ServicePrincipal.INGEST.user(), "wrong"));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(settings)) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), refused::toString);
        }
    }

    @Test
    void aPlaintextClientIsNeverAnswered() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "PLAINTEXT",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000))) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class, () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(
                    org.apache.kafka.common.errors.TimeoutException.class, refused.getCause(), refused::toString);
        }
    }

    /** The ingest user's client settings as a service reads them: from the properties file it is given. */
    private static Map<String, Object> ingestSettings(Path dir) throws IOException {
        return settings(dir, ServicePrincipal.INGEST, INGEST_PASSWORD);
    }

    private static Map<String, Object> settings(Path dir, ServicePrincipal principal, String password)
            throws IOException {
        Path file = kafka.writeClientProperties(
                principal.user(), password, dir.resolve(principal.user() + "-client.properties"));
        return load(file, kafka.bootstrapServers());
    }

    private static Map<String, Object> load(Path file, String bootstrapServers) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        Map<String, Object> settings = new HashMap<>();
        properties.forEach((k, v) -> settings.put((String) k, v));
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    /** The committed values of {@code keys} on documents.requests, read as ingest reads them: assigned, no group. */
    private static Map<String, String> committedRequests(Map<String, Object> settings, Set<String> keys) {
        Map<String, Object> reader = new HashMap<>(settings);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(reader, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.DOCUMENTS_REQUESTS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.DOCUMENTS_REQUESTS.name(), p));
            }
            consumer.assign(partitions);
            Map<String, String> values = new HashMap<>();
            Wait.atMost(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (keys.contains(r.key())) {
                        values.put(r.key(), r.value());
                    }
                });
                return values.keySet().equals(keys);
            });
            return values;
        }
    }

    /** A principal's mTLS client settings as a service reads them: from the properties file it is given. */
    private static Map<String, Object> certificateSettings(Path dir, ServicePrincipal principal) throws IOException {
        Path file = kafka.writeCertificateClientProperties(
                principal.user(), dir.resolve(principal.user() + "-mtls-client.properties"));
        return load(file, kafka.certificateBootstrapServers());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings, String transactionalId) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
