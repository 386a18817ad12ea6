package io.pagestream.assembler.bench;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;

import io.opentelemetry.api.OpenTelemetry;
import io.pagestream.assembler.topology.AssemblerSettings;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.assembler.topology.SkipCorruptRecords;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.stack.ApicurioRegistry;
import io.pagestream.stack.Directories;
import io.pagestream.stack.KafkaBroker;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.testing.QuietKafka;
import io.pagestream.topics.TopicSpec;
import io.pagestream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Assembler throughput beside a pass-through, on one embedded broker in one run. Both topologies read the same
 * page results (and requests) from the same topics with the same Avro serdes, under exactly_once_v2: the
 * pass-through writes every record straight back out, the assembler joins them into documents. A run is timed from
 * the moment the application is RUNNING to the moment its committed input offsets reach the end of the inputs (under
 * exactly-once the outputs are committed in the same transactions). Rounds alternate the two, and warm-up rounds
 * (JIT compilation) are left out of the means.
 *
 * <pre>./mvnw -B -q -pl services/assembler -am verify -Pbench -DskipTests
 *     [-Dbench.documents=8000 -Dbench.pages=10 -Dbench.textChars=2000 -Dbench.warmups=1 -Dbench.rounds=3]</pre>
 */
public final class AssemblerBenchmark {
    private static final String PASS_THROUGH_PREFIX = "bench.passthrough.";
    private static final List<TopicSpec<?>> INPUTS =
            List.of(Topics.DOCUMENTS_REQUESTS, Topics.PAGES_OCR, Topics.PAGES_ANSWERS, Topics.PAGES_DLQ);

    private AssemblerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int documents = Integer.getInteger("bench.documents", 8000);
        int pages = Integer.getInteger("bench.pages", 10);
        int textChars = Integer.getInteger("bench.textChars", 2000);
        int warmups = Integer.getInteger("bench.warmups", 1);
        int rounds = Integer.getInteger("bench.rounds", 3);
        long pageResults = 2L * documents * pages;
        QuietKafka.atWarn();
        Path workDir = Files.createTempDirectory("assembler-bench-");
        try (KafkaBroker broker = KafkaBroker.start();
                ApicurioRegistry registryProcess = ApicurioRegistry.start(workDir.resolve("registry"));
                SchemaRegistryClient registry = RegistryClients.of(registryProcess.url())) {
            String bootstrap = broker.bootstrapServers();
            List<NewTopic> topics = new ArrayList<>(Topics.newTopics((short) 1));
            INPUTS.forEach(t -> topics.add(new NewTopic(PASS_THROUGH_PREFIX + t.name(), t.partitions(), (short) 1)));
            TopicAdmin.createMissing(bootstrap, topics);

            System.out.printf(
                    Locale.ROOT,
                    "Publishing %d documents x %d pages (OCR + QA, %d characters of text per "
                            + "page): %d page results%n",
                    documents,
                    pages,
                    textChars,
                    pageResults);
            publish(bootstrap, registryProcess.url(), documents, pages, textChars);

            List<Double> passThrough = new ArrayList<>();
            List<Double> assembler = new ArrayList<>();
            for (int round = 1; round <= warmups + rounds; round++) {
                double p = run(bootstrap, workDir, "pass-through-" + round, passThrough(registry));
                double a = run(
                        bootstrap,
                        workDir,
                        "assembler-" + round,
                        AssemblerTopology.build(AssemblerSettings.defaults(), registry, true, OpenTelemetry.noop()));
                boolean warmup = round <= warmups;
                if (!warmup) {
                    passThrough.add(pageResults / p);
                    assembler.add(pageResults / a);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s %d: pass-through %.1f s = %.0f page results/s; assembler %.1f s"
                                + " = %.0f page results/s; ratio %.2f%n",
                        warmup ? "warm-up" : "round",
                        round,
                        p,
                        pageResults / p,
                        a,
                        pageResults / a,
                        p / a);
            }
            double passThroughRate = mean(passThrough);
            double assemblerRate = mean(assembler);
            System.out.printf(
                    Locale.ROOT,
                    "pass-through %.0f page results/s, assembler %.0f page results/s "
                            + "(mean of %d rounds): assembler / pass-through = %.2f%n",
                    passThroughRate,
                    assemblerRate,
                    rounds,
                    assemblerRate / passThroughRate);
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }

    private static void publish(String bootstrap, String registryUrl, int documents, int pages, int textChars) {
        String text = "Invoice line with amounts, dates and names. ".repeat(Math.max(1, textChars / 44));
        try (TopicWriter inputs = new TopicWriter(bootstrap, registryUrl)) {
            for (int d = 0; d < documents; d++) {
                String id = "bench-" + d;
                List<SpecificRecord> records = new ArrayList<>();
                records.add(request(id, pages, "Who signed?", "What is the total?"));
                for (int page = 0; page < pages; page++) {
                    records.add(ocr(id, page, pages, text, 0.9));
                    records.add(answers(id, page, pages, 0.5, 0.6));
                }
                inputs.send(records.toArray(SpecificRecord[]::new));
            }
            inputs.sendNow();
        }
    }

    /** Every input record written straight to a topic of its own, through the same serdes. */
    private static Topology passThrough(SchemaRegistryClient registry) {
        StreamsBuilder builder = new StreamsBuilder();
        INPUTS.forEach(topic -> copy(builder, topic, registry));
        return builder.build();
    }

    private static <V extends SpecificRecord> void copy(
            StreamsBuilder builder, TopicSpec<V> topic, SchemaRegistryClient registry) {
        builder.stream(topic.name(), Consumed.with(Serdes.String(), topic.valueSerde(registry, false)))
                .to(
                        PASS_THROUGH_PREFIX + topic.name(),
                        Produced.with(Serdes.String(), topic.valueSerde(registry, true)));
    }

    /** Seconds from RUNNING until the application has committed every input record. */
    private static double run(String bootstrap, Path workDir, String applicationId, Topology topology)
            throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipCorruptRecords.class.getName());
        config.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString());
        config.put(StreamsConfig.producerPrefix("max.request.size"), Topics.RESULT_MAX_MESSAGE_BYTES);
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> ends = endOffsets(admin);
            CountDownLatch running = new CountDownLatch(1);
            try (KafkaStreams streams = new KafkaStreams(topology, config)) {
                streams.setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.RUNNING) {
                        running.countDown();
                    }
                });
                streams.start();
                if (!running.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(applicationId + " did not start");
                }
                long start = System.nanoTime();
                long deadline = start + TimeUnit.MINUTES.toNanos(30);
                while (!committedAll(admin, applicationId, ends)) {
                    if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                        throw new IllegalStateException(applicationId + " did not finish: " + streams.state());
                    }
                    Thread.sleep(50);
                }
                return (System.nanoTime() - start) / 1e9;
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Set<String> names = INPUTS.stream().map(TopicSpec::name).collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> request = admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static boolean committedAll(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        return ends.entrySet().stream()
                .allMatch(e -> e.getValue() == 0
                        || committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
