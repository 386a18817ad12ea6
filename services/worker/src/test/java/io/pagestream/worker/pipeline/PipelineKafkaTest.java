package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Topics;
import io.pagestream.worker.WorkerConfig;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.testing.Configs;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import io.pagestream.worker.testing.ScriptedPipeline;
import io.pagestream.worker.testing.WorkerTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline on a real broker and registry, with a scripted engine: every page's results exactly once on a
 * read_committed consumer, a corrupt page on the DLQ with a status event, and no loss or duplicate while a second
 * worker joins mid-run and the first stops and hands its partitions over.
 */
@IntegrationTest
class PipelineKafkaTest {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How often a test that drives the worker's poll loop itself turns it. */
    private static final Duration DRIVE = Duration.ofMillis(1);

    static {
        QuietKafka.atWarn();
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    private Pipeline worker(String instanceId, String group, long stepMillis, Duration shutdownGrace) {
        return worker(instanceId, group, stepMillis, shutdownGrace, 12);
    }

    private Pipeline worker(String instanceId, String group, long stepMillis, Duration shutdownGrace, int maxInFlight) {
        return worker(instanceId, group, stepMillis, shutdownGrace, maxInFlight, Map.of());
    }

    private Pipeline worker(
            String instanceId,
            String group,
            long stepMillis,
            Duration shutdownGrace,
            int maxInFlight,
            Map<String, Object> kafka) {
        return worker(instanceId, group, stepMillis, shutdownGrace, maxInFlight, kafka, PageTracing.off());
    }

    private Pipeline worker(
            String instanceId,
            String group,
            long stepMillis,
            Duration shutdownGrace,
            int maxInFlight,
            Map<String, Object> kafka,
            PageTracing tracing) {
        WorkerConfig config = Configs.worker(Map.of(
                "pagestream.worker.instance-id",
                instanceId,
                "pagestream.worker.batch.max-pages",
                "4",
                "pagestream.worker.pipeline.max-in-flight-pages",
                Integer.toString(maxInFlight),
                "pagestream.worker.pipeline.shutdown-grace",
                shutdownGrace.toMillis() + "ms",
                "pagestream.worker.prompts.ocr-max-new-tokens",
                "16",
                "pagestream.worker.prompts.question-max-new-tokens",
                "8"));
        ScriptedEngine engine = new ScriptedEngine(16, 4096, 100, stepMillis);
        SchemaRegistryClient registry = RegistryClients.of(STACK.registryUrl());
        Map<String, Object> common = new HashMap<>(kafka);
        common.put("bootstrap.servers", STACK.bootstrapServers());
        Pipeline pipeline = ScriptedPipeline.create(
                config,
                ScriptedPipeline.model(engine, Prompts.of(config.prompts())),
                ScriptedPipeline.clients(common, group, instanceId, registry),
                registry,
                tracing);
        pipeline.start();
        open.add(engine);
        open.add(pipeline);
        return pipeline;
    }

    private static List<PageImage> pages(String prefix, int documents, int pagesEach) {
        List<PageImage> pages = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            for (int p = 0; p < pagesEach; p++) {
                pages.add(Pages.page(prefix + d, p, pagesEach, Pages.png(64, 48, d * 10 + p), List.of("Total?")));
            }
        }
        return pages;
    }

    private static Predicate<List<ConsumerRecord<String, SpecificRecord>>> atLeast(
            String prefix, int results, int failures) {
        return records -> mine(records, prefix, Topics.PAGES_OCR.name()) >= results
                && mine(records, prefix, Topics.PAGES_ANSWERS.name()) >= results
                && mine(records, prefix, Topics.PAGES_DLQ.name()) >= failures;
    }

    private static long mine(List<ConsumerRecord<String, SpecificRecord>> records, String prefix, String topic) {
        return records.stream()
                .filter(r -> r.topic().equals(topic) && r.key().startsWith(prefix))
                .count();
    }

    /** One result per page per topic: keys documentId/pageIndex of what came back, with counts. */
    private static Map<String, Long> perPage(
            List<ConsumerRecord<String, SpecificRecord>> records, String prefix, String topic) {
        return records.stream()
                .filter(r -> r.topic().equals(topic) && r.key().startsWith(prefix))
                .map(r -> r.value() instanceof PageOcr o
                        ? o.getDocumentId() + "/" + o.getPageIndex()
                        : ((PageAnswers) r.value()).getDocumentId() + "/" + ((PageAnswers) r.value()).getPageIndex())
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Wait.atMost(WAIT, condition::getAsBoolean);
        assertTrue(condition.getAsBoolean(), what + " within " + WAIT);
    }

    private void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @Test
    void everyPageGetsItsResultsOnceAndACorruptPageGoesToTheDlq() throws Exception {
        String prefix = "once-";
        List<PageImage> pages = new ArrayList<>(pages(prefix, 5, 4));
        pages.add(Pages.page(prefix + "bad", 0, 1, Pages.corrupt(), List.of("Total?")));
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages);
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            worker("once-1", "group-once", 5, Duration.ofSeconds(10));
            List<ConsumerRecord<String, SpecificRecord>> records =
                    reader.readUntil(List.of(), atLeast(prefix, 20, 1), WAIT);
            closeAll();
            records = reader.readUntil(records, r -> false, Duration.ofSeconds(2));

            Map<String, Long> ocr = perPage(records, prefix, Topics.PAGES_OCR.name());
            assertEquals(20, ocr.size(), "OCR for every page: " + ocr.keySet());
            assertTrue(ocr.values().stream().allMatch(n -> n == 1), "once each: " + ocr);
            Map<String, Long> answers = perPage(records, prefix, Topics.PAGES_ANSWERS.name());
            assertEquals(20, answers.size());
            assertTrue(answers.values().stream().allMatch(n -> n == 1), "once each: " + answers);

            List<PageFailure> dlq = TopicReader.values(records, Topics.PAGES_DLQ).stream()
                    .filter(f -> f.getDocumentId().startsWith(prefix))
                    .toList();
            assertEquals(1, dlq.size());
            assertEquals(Failure.CORRUPT_IMAGE, dlq.getFirst().getReasonCode());
            assertEquals("DECODE", dlq.getFirst().getStage());
            assertEquals(Topics.DOCUMENTS_PAGES.name(), dlq.getFirst().getSourceTopic());
            assertEquals("once-1", dlq.getFirst().getWorker());
            List<DocumentStatus> status = TopicReader.values(records, Topics.DOCUMENTS_STATUS).stream()
                    .filter(s -> s.getDocumentId().startsWith(prefix))
                    .toList();
            assertEquals(1, status.size());
            assertEquals(DocumentState.PAGE_FAILED, status.getFirst().getState());
            assertEquals(0, status.getFirst().getPageIndex());
            assertEquals(Failure.CORRUPT_IMAGE, status.getFirst().getReasonCode());
        } finally {
            closeAll();
        }
    }

    /**
     * Each page's records continue the page's trace: header from the page record's header (or, without one, from its
     * Avro field), naming a span the worker recorded in that trace — the inference span for results, the decode span
     * for a page that failed to decode. Batches are traces of their own, linked to their pages'.
     */
    @Test
    void resultsContinueEachPagesTraceInTheirHeaders() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (SdkTracerProvider tracer = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build()) {
            OpenTelemetry otel = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracer)
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
            String prefix = "traced-";
            String unheaded = prefix + "0";
            List<PageImage> pages = new ArrayList<>(pages(prefix, 3, 2));
            pages.add(Pages.page(prefix + "bad", 0, 1, Pages.corrupt(), List.of("Total?")));
            Map<String, String> traces = new HashMap<>();
            for (PageImage page : pages) {
                String trace = traces.computeIfAbsent(
                        page.getDocumentId(), d -> IdGenerator.random().generateTraceId());
                page.setTraceparent("00-" + trace + "-" + IdGenerator.random().generateSpanId() + "-01");
            }
            TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages, page -> {
                RecordHeaders headers = new RecordHeaders();
                if (!page.getDocumentId().equals(unheaded)) {
                    headers.add("traceparent", page.getTraceparent().getBytes(StandardCharsets.UTF_8));
                }
                return headers;
            });
            try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
                worker("traced-1", "group-traced", 1, Duration.ofSeconds(10), 12, Map.of(), new PageTracing(otel));
                List<ConsumerRecord<String, SpecificRecord>> records =
                        reader.readUntil(List.of(), atLeast(prefix, 6, 1), WAIT).stream()
                                .filter(r -> r.key().startsWith(prefix))
                                .toList();
                assertEquals(6 + 6 + 2, records.size(), "OCR and answers of 6 pages, a DLQ record and a status");
                for (ConsumerRecord<String, SpecificRecord> record : records) {
                    Header header = record.headers().lastHeader("traceparent");
                    assertNotNull(header, "a traceparent header on " + record.topic() + " " + record.key());
                    String[] traceparent = new String(header.value(), StandardCharsets.UTF_8).split("-");
                    assertEquals(traces.get(record.key()), traceparent[1], record.topic() + " " + record.key());
                    SpanData span = finished(spans, traceparent[2]);
                    assertEquals(traceparent[1], span.getTraceId());
                    boolean failed = record.key().endsWith("bad");
                    assertEquals(failed ? "pagestream.worker.decode" : "pagestream.worker.inference", span.getName());
                    assertEquals(
                            failed ? StatusCode.ERROR : StatusCode.UNSET,
                            span.getStatus().getStatusCode());
                }
                Set<String> linked = spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("pagestream.worker.batch"))
                        .flatMap(s -> s.getLinks().stream())
                        .map(link -> link.getSpanContext().getTraceId())
                        .collect(Collectors.toSet());
                Set<String> inferred = traces.entrySet().stream()
                        .filter(e -> !e.getKey().endsWith("bad"))
                        .map(Map.Entry::getValue)
                        .collect(Collectors.toSet());
                assertTrue(linked.containsAll(inferred), "batches link to the traces of their pages: " + linked);
            } finally {
                closeAll();
            }
        }
    }

    /** The finished span with this id; a span ends just after its page's outcome is handed over, so wait a little. */
    private static SpanData finished(InMemorySpanExporter spans, String spanId) {
        Wait.atMost(Duration.ofSeconds(10), () -> finishedNow(spans, spanId).isPresent());
        return finishedNow(spans, spanId)
                .orElseThrow(() -> new AssertionError("the worker recorded no span " + spanId));
    }

    private static Optional<SpanData> finishedNow(InMemorySpanExporter spans, String spanId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getSpanId().equals(spanId))
                .findFirst();
    }

    @Test
    void theConsumerPausesWhileTheEngineIsBehindAndResumesAfter() throws Exception {
        String prefix = "pressure-";
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages(prefix, 6, 4));
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            Pipeline pipeline = worker("pressure-1", "group-pressure", 100, Duration.ofSeconds(10), 4);
            AtomicBoolean pausedSeen = new AtomicBoolean();
            AtomicInteger mostInFlight = new AtomicInteger();
            List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
            Wait.atMost(WAIT, DRIVE, () -> {
                if (pipeline.poll().paused()) {
                    pausedSeen.set(true);
                }
                mostInFlight.accumulateAndGet(pipeline.poll().inFlight(), Math::max);
                records.addAll(reader.readUntil(List.of(), r -> true, Duration.ZERO));
                records.addAll(reader.readUntil(List.of(), r -> false, Duration.ofMillis(20)));
                return atLeast(prefix, 24, 0).test(records);
            });
            assertEquals(24, perPage(records, prefix, Topics.PAGES_OCR.name()).size(), "every page done");
            assertTrue(pausedSeen.get(), "the consumer paused");
            assertTrue(mostInFlight.get() <= 4 + 4, "in flight stayed within the bound plus one poll: " + mostInFlight);
            awaitTrue(() -> !pipeline.poll().paused(), "the consumer resumed once the pages were committed");
        } finally {
            closeAll();
        }
    }

    @Test
    void aBatchLongerThanTheMaxPollIntervalTriggersNoRebalance() throws Exception {
        String prefix = "long-";
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            // From the end of the topic: the other tests' pages would only make this slow engine slower.
            Pipeline pipeline = worker(
                    "long-1",
                    "group-long",
                    4000,
                    Duration.ofSeconds(10),
                    12,
                    Map.of("max.poll.interval.ms", 1500, "auto.offset.reset", "latest"));
            awaitTrue(() -> pipeline.poll().assignedPartitions() == 12, "the worker owns every partition");
            TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages(prefix, 2, 4));
            AtomicInteger fewest = new AtomicInteger(12);
            List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
            Wait.atMost(WAIT, DRIVE, () -> {
                fewest.accumulateAndGet(pipeline.poll().assignedPartitions(), Math::min);
                records.addAll(reader.readUntil(List.of(), r -> false, Duration.ofMillis(20)));
                return atLeast(prefix, 8, 0).test(records);
            });
            assertEquals(8, perPage(records, prefix, Topics.PAGES_OCR.name()).size(), "every page done");
            assertEquals(
                    12, fewest.get(), "4 s engine steps against a 1.5 s max.poll.interval.ms: no partition ever left");
        } finally {
            closeAll();
        }
    }

    @Test
    void workersJoiningAndLeavingMidRunLoseAndDuplicateNothing() throws Exception {
        String prefix = "moving-";
        int count = 48;
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages(prefix, 12, 4));
        Map<String, Long> seen = new HashMap<>();
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            Pipeline first = worker("moving-1", "group-moving", 250, Duration.ZERO);
            List<ConsumerRecord<String, SpecificRecord>> records =
                    reader.readUntil(List.of(), atLeast(prefix, 4, 0), WAIT);
            Pipeline second = worker("moving-2", "group-moving", 250, Duration.ofSeconds(10));
            awaitTrue(
                    () -> second.poll().assignedPartitions() > 0 && first.poll().assignedPartitions() < 12,
                    "the second worker takes some partitions from the first");
            int before = records.size();
            records = reader.readUntil(records, r -> r.size() >= before + 4, WAIT);
            first.close();
            records = reader.readUntil(records, atLeast(prefix, count, 0), WAIT);
            closeAll();
            records = reader.readUntil(records, r -> false, Duration.ofSeconds(2));
            seen.putAll(perPage(records, prefix, Topics.PAGES_OCR.name()));
            Map<String, Long> answers = perPage(records, prefix, Topics.PAGES_ANSWERS.name());
            assertEquals(count, seen.size(), "OCR for every page");
            assertEquals(count, answers.size(), "answers for every page");
            assertTrue(seen.values().stream().allMatch(n -> n == 1), "no duplicate OCR: " + seen);
            assertTrue(answers.values().stream().allMatch(n -> n == 1), "no duplicate answers: " + answers);
            assertEquals(0, mine(records, prefix, Topics.PAGES_DLQ.name()));
        } finally {
            closeAll();
        }
    }
}
