package io.pagestream.assembler.cluster;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.failure;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.assembler.query.DocumentResource;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.stack.Directories;
import io.pagestream.stack.FreePorts;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two packaged assembler instances on one broker: a second instance joins while the first is busy (a rebalance), the
 * queries route between them, then the first is killed mid-stream (another rebalance, a transaction left open).
 * Every document must come out exactly once: one OCR record, one answers record and one COMPLETED status, read
 * with read_committed.
 */
@IntegrationTest
class AssemblerClusterIT {
    static final int PAGES = 4;
    static final int DOCUMENTS_PER_WAVE = 40;
    static final Duration PATIENCE = Duration.ofMinutes(3);
    /** How often an instance is asked over HTTP while waiting for it. */
    static final Duration EVERY = Duration.ofMillis(200);

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        QuietKafka.atWarn();
    }

    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    Path workDir;
    final List<ServiceJvm> instances = new ArrayList<>();
    final Random random = new Random(7);

    @BeforeEach
    void workDir() throws IOException {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "cluster-it")), "run-");
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(ServiceJvm::close);
        Directories.deleteQuietly(workDir);
    }

    /** A packaged instance; its queries for documents another instance owns are routed to its port. */
    ServiceJvm startInstance(String name, String applicationId) throws IOException {
        int port = FreePorts.pick();
        ServiceJvm instance = ServiceJvm.builder(
                        name,
                        Path.of(System.getProperty("pagestream.assembler.app", "target/quarkus-app/quarkus-run.jar")))
                .maxHeap("256m")
                .port(port)
                .property("quarkus.kafka-streams.application-server", endpoint(port))
                .property(
                        "kafka-streams.state.dir",
                        workDir.resolve(name + "-state").toString())
                .properties(Map.of(
                        "pagestream.kafka.bootstrap-servers",
                        STACK.bootstrapServers(),
                        "pagestream.registry.url",
                        STACK.registryUrl(),
                        "quarkus.kafka-streams.application-id",
                        applicationId,
                        // A crashed instance's partitions move after the session timeout: the broker's minimum.
                        "kafka-streams.consumer.session.timeout.ms",
                        "6000",
                        "kafka-streams.consumer.heartbeat.interval.ms",
                        "1000"))
                .log(workDir.resolve(name + ".log"))
                .start();
        instances.add(instance);
        return instance;
    }

    /** An instance's {@code application.server}, as the {@code X-Pagestream-Served-By} header names it. */
    static String endpoint(int port) {
        return "127.0.0.1:" + port;
    }

    @Test
    void everyDocumentIsEmittedExactlyOnceThroughARebalanceAndACrash() throws Exception {
        String applicationId = "assembler-it-" + UUID.randomUUID();
        List<String> wave1 = documents("one");
        List<String> wave2 = documents("two");
        List<String> wave3 = documents("three");
        try (TopicWriter inputs = new TopicWriter(STACK.bootstrapServers(), STACK.registryUrl());
                Outputs outputs = new Outputs()) {
            ServiceJvm a = startInstance("a", applicationId);
            awaitQueryable(a);
            publish(inputs, wave1);

            ServiceJvm b = startInstance("b", applicationId);
            publish(inputs, wave2);
            awaitQueryable(b);
            outputs.awaitCompleted(union(wave1, wave2), instances);

            Set<String> owners = new HashSet<>();
            for (String id : union(wave1, wave2)) {
                String viaA = servedBy(a, id);
                String viaB = servedBy(b, id);
                assertEquals(viaA, viaB, "both instances route " + id + " to its one owner");
                owners.add(viaA);
            }
            assertEquals(
                    Set.of(endpoint(a.port()), endpoint(b.port())), owners, "the documents are split between the two");

            publish(inputs, wave3.subList(0, DOCUMENTS_PER_WAVE / 2));
            a.kill();
            publish(inputs, wave3.subList(DOCUMENTS_PER_WAVE / 2, DOCUMENTS_PER_WAVE));
            List<String> all = union(union(wave1, wave2), wave3);
            outputs.awaitCompleted(all, List.of(b));
            for (String id : List.of(wave1.get(0), wave3.get(0), wave3.get(DOCUMENTS_PER_WAVE - 1))) {
                assertEquals(endpoint(b.port()), servedBy(b, id), "the survivor owns every document");
            }

            // Outputs of a partition are read in order: once a late document of every partition is out, any
            // duplicate of an earlier one would have shown.
            List<String> sentinels = sentinelsCoveringEveryPartition();
            publish(inputs, sentinels);
            outputs.awaitCompleted(sentinels, List.of(b));

            Map<String, List<String>> emitted = outputs.byDocument();
            for (String id : union(all, sentinels)) {
                assertEquals(
                        List.of("answers 0/1", "ocr 0/1", "status COMPLETED"), emitted.get(id), "exactly once: " + id);
            }
            assertEquals(all.size() + sentinels.size(), emitted.size(), "nothing else was emitted");
        }
    }

    List<String> documents(String wave) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS_PER_WAVE; i++) {
            ids.add("doc-" + wave + "-" + i);
        }
        return ids;
    }

    static List<String> union(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Records of all documents shuffled together, some re-delivered, one page of some documents failed. */
    void publish(TopicWriter inputs, List<String> ids) {
        List<SpecificRecord> records = new ArrayList<>();
        for (String id : ids) {
            records.add(request(id, PAGES, "Who signed?"));
            for (int page = 0; page < PAGES; page++) {
                boolean failed = page == 2 && id.hashCode() % 5 == 0;
                records.add(ocr(id, page, PAGES));
                records.add(failed ? failure(id, page, PAGES, "CORRUPT_IMAGE") : answers(id, page, PAGES, 0.5));
            }
            records.add(ocr(id, random.nextInt(PAGES), PAGES));
            records.add(answers(id, random.nextInt(PAGES), PAGES, 0.1));
        }
        Collections.shuffle(records, random);
        inputs.sendNow(records.toArray(SpecificRecord[]::new));
    }

    static List<String> sentinelsCoveringEveryPartition() {
        Map<Integer, String> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.size() < Topics.DOCUMENT_PARTITIONS; i++) {
            String id = "sentinel-" + i;
            byPartition.putIfAbsent(
                    Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % Topics.DOCUMENT_PARTITIONS,
                    id);
        }
        return List.copyOf(byPartition.values());
    }

    /** Waits until the instance answers queries (Kafka Streams running, stores open): a 404 for an unknown id. */
    static void awaitQueryable(ServiceJvm instance) {
        awaitTrue("instance " + instance.name() + " answering queries", instance, () -> {
            try {
                return instance.get("/v1/documents/none").statusCode() == 404;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The instance that answered a query for the document, asked of {@code via}; 503 is retried (rebalancing). */
    static String servedBy(ServiceJvm via, String id) throws Exception {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        awaitTrue("a COMPLETED answer for " + id + " via " + via.name(), via, () -> {
            try {
                last.set(via.get("/v1/documents/" + id + "?results=false"));
                return last.get().statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        JsonNode body = JSON.readTree(last.get().body());
        assertEquals("COMPLETED", body.get("state").asText(), last.get().body());
        return last.get()
                .headers()
                .firstValue(DocumentResource.SERVED_BY_HEADER)
                .orElseThrow();
    }

    static void awaitTrue(String what, ServiceJvm instance, BooleanSupplier condition) {
        AtomicBoolean met = new AtomicBoolean();
        Wait.atMost(PATIENCE, EVERY, () -> {
            met.set(condition.getAsBoolean());
            return met.get() || !instance.isAlive();
        });
        if (met.get()) {
            return;
        }
        if (!instance.isAlive()) {
            throw new AssertionError(
                    instance.name() + " exited while waiting for " + what + ":\n" + instance.logTail());
        }
        throw new AssertionError("no " + what + " within " + PATIENCE + ":\n" + instance.logTail());
    }

    /** Everything on the three output topics, as a read_committed consumer sees it. */
    static final class Outputs implements AutoCloseable {
        private final SchemaRegistryClient registry = RegistryClients.of(STACK.registryUrl());
        private final KafkaConsumer<String, GenericRecord> consumer;
        private final Map<String, List<String>> byDocument = new HashMap<>();

        Outputs() {
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            STACK.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "it-reader-" + UUID.randomUUID(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            IsolationLevel.READ_COMMITTED.toString(),
                            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                            Topics.RESULT_MAX_MESSAGE_BYTES),
                    new StringDeserializer(),
                    new AvroDeserializer<>(registry, null));
            consumer.subscribe(Topics.names(Topics.DOCUMENTS_OCR, Topics.DOCUMENTS_ANSWERS, Topics.DOCUMENTS_STATUS));
        }

        void awaitCompleted(List<String> ids, List<ServiceJvm> running) {
            Wait.atMost(PATIENCE, () -> {
                if (completed(ids) || running.stream().anyMatch(instance -> !instance.isAlive())) {
                    return true;
                }
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    byDocument
                            .computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(describe(record));
                }
                return completed(ids);
            });
            if (completed(ids)) {
                return;
            }
            for (ServiceJvm instance : running) {
                if (!instance.isAlive()) {
                    throw new AssertionError(instance.name() + " exited:\n" + instance.logTail());
                }
            }
            List<String> missing = ids.stream()
                    .filter(id -> !byDocument.getOrDefault(id, List.of()).contains("status COMPLETED"))
                    .toList();
            throw new AssertionError("not completed within " + PATIENCE + ": " + missing + "\n"
                    + running.get(0).logTail());
        }

        private boolean completed(List<String> ids) {
            return ids.stream()
                    .allMatch(id -> byDocument.getOrDefault(id, List.of()).contains("status COMPLETED"));
        }

        private static String describe(ConsumerRecord<String, GenericRecord> record) {
            GenericRecord value = record.value();
            String topic = record.topic();
            if (topic.equals(Topics.DOCUMENTS_OCR.name())) {
                return "ocr " + value.get("chunkIndex") + "/" + value.get("chunkCount");
            }
            if (topic.equals(Topics.DOCUMENTS_ANSWERS.name())) {
                return "answers " + value.get("chunkIndex") + "/" + value.get("chunkCount");
            }
            return "status " + value.get("state");
        }

        Map<String, List<String>> byDocument() {
            Map<String, List<String>> sorted = new HashMap<>();
            byDocument.forEach(
                    (id, events) -> sorted.put(id, events.stream().sorted().toList()));
            return sorted;
        }

        @Override
        public void close() {
            consumer.close();
            registry.close();
        }
    }
}
