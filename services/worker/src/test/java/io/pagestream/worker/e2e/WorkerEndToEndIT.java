package io.pagestream.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.servicetest.Dashboard;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.stack.FreePorts;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.QuietKafka;
import io.pagestream.topics.Topics;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.TinyModel;
import io.pagestream.worker.testing.WorkerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "done when": the packaged worker, a tiny random model, the embedded broker and registry. N pages go in;
 * the worker is SIGKILLed once some results are committed and restarted with the same identity; in the end every
 * page has exactly one OCR result and one answers result on a read_committed consumer (nothing lost, nothing twice),
 * and a corrupt page among them has a DLQ record and a page-failed status while its batch-mates are fine. Along the
 * way: readiness only after the model is loaded, and the Prometheus metrics.
 */
@IntegrationTest
class WorkerEndToEndIT {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int DOCUMENTS = 6;
    private static final int PAGES_EACH = 4;
    private static final int N = DOCUMENTS * PAGES_EACH;
    private static final List<String> QUESTIONS = List.of("What is the invoice number?", "Who signed it?");

    static {
        QuietKafka.atWarn();
    }

    private static Predicate<List<ConsumerRecord<String, SpecificRecord>>> count(String topic, int n) {
        return records -> records.stream().filter(r -> r.topic().equals(topic)).count() >= n;
    }

    private static ServiceJvm start(Path model, Path log, int port) throws Exception {
        Path app = Path.of(System.getProperty("pagestream.worker.app", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(app), "the packaged worker at " + app + " (run after package)");
        ServiceJvm.Builder worker = ServiceJvm.builder("worker", app)
                .maxHeap("768m")
                .port(port)
                .properties(Map.of(
                        "pagestream.kafka.bootstrap-servers", STACK.bootstrapServers(),
                        "pagestream.registry.url", STACK.registryUrl(),
                        "pagestream.worker.instance-id", "e2e-worker",
                        "pagestream.worker.model.checkpoint", model.toString(),
                        "pagestream.worker.model.threads", "1",
                        "pagestream.worker.engine.max-slots", "12",
                        "pagestream.worker.batch.max-pages", "4",
                        "pagestream.worker.prompts.ocr-max-new-tokens", "64",
                        "pagestream.worker.prompts.question-max-new-tokens", "12"))
                .log(log);
        String djl = System.getProperty("pagestream.djl.cache");
        if (djl != null) {
            worker.environment("DJL_CACHE_DIR", djl);
        }
        return worker.start();
    }

    /** Ready only once the model is loaded and the pipeline runs. */
    private static void awaitReady(ServiceJvm worker) throws Exception {
        worker.awaitReady(WAIT);
        String ready = worker.getManagement(ServiceJvm.READY_PATH).body();
        assertTrue(ready.contains("RUNNING"), ready);
    }

    @Test
    void nPagesInNResultsOutThroughASigkillAndARestart() throws Exception {
        Path model = TinyModel.shared();
        List<PageImage> pages = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            for (int p = 0; p < PAGES_EACH; p++) {
                pages.add(Pages.page("e2e-doc" + d, p, PAGES_EACH, Pages.png(448, 448, d * 10 + p), QUESTIONS));
            }
        }
        pages.add(N / 2, Pages.page("e2e-corrupt", 0, 1, Pages.corrupt(), QUESTIONS));
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages);

        Path log = Files.createDirectories(Path.of("target", "e2e")).resolve("worker.log");
        Files.deleteIfExists(log);
        int port = FreePorts.pick();
        List<ConsumerRecord<String, SpecificRecord>> records;
        long atKill;
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            try (ServiceJvm first = start(model, log, port)) {
                awaitReady(first);
                records = reader.readUntil(List.of(), count(Topics.PAGES_OCR.name(), 4), WAIT);
                first.kill();
                atKill = records.stream()
                        .filter(r -> r.topic().equals(Topics.PAGES_OCR.name()))
                        .count();
                System.out.printf("[e2e] SIGKILLed the worker with %d of %d pages' OCR committed%n", atKill, N);
            }
            assertTrue(atKill >= 4 && atKill < N, "killed mid-run: " + atKill + " of " + N);

            try (ServiceJvm second = start(model, log, port)) {
                awaitReady(second);
                records = reader.readUntil(
                        records,
                        count(Topics.PAGES_OCR.name(), N)
                                .and(count(Topics.PAGES_ANSWERS.name(), N))
                                .and(count(Topics.PAGES_DLQ.name(), 1)),
                        WAIT);
                String metrics = second.getManagement("/q/metrics").body();
                for (String name : List.of(
                        "pagestream_worker_batch_pages",
                        "pagestream_worker_queue_depth",
                        "pagestream_worker_tokens_per_second",
                        "pagestream_worker_prefill_seconds",
                        "pagestream_worker_decode_seconds",
                        "pagestream_worker_kv_cache_bytes",
                        "pagestream_worker_accelerator_memory_used_bytes")) {
                    assertTrue(metrics.contains(name), "metric " + name);
                }
                assertEquals(
                        Set.of(),
                        Dashboard.missingFrom(metrics, Dashboard.metricsOf("Worker")),
                        "queried by the dashboard, not exposed");
                assertTrue(second.stop(Duration.ofSeconds(60)), "a graceful stop on SIGTERM:\n" + second.logTail());
            }
            records = reader.readUntil(records, r -> false, Duration.ofSeconds(3));
        }

        Map<String, Long> ocr =
                perPage(TopicReader.values(records, Topics.PAGES_OCR), o -> o.getDocumentId() + "/" + o.getPageIndex());
        Map<String, Long> answers = perPage(
                TopicReader.values(records, Topics.PAGES_ANSWERS), a -> a.getDocumentId() + "/" + a.getPageIndex());
        System.out.printf(
                "[e2e] after the restart: %d pages with OCR, %d with answers, %d duplicates%n",
                ocr.size(),
                answers.size(),
                ocr.values().stream().mapToLong(n -> n - 1).sum()
                        + answers.values().stream().mapToLong(n -> n - 1).sum());
        assertEquals(N, ocr.size(), "every page's OCR: " + ocr.keySet());
        assertEquals(N, answers.size(), "every page's answers: " + answers.keySet());
        assertTrue(ocr.values().stream().allMatch(n -> n == 1), "no OCR twice on read_committed: " + ocr);
        assertTrue(answers.values().stream().allMatch(n -> n == 1), "no answers twice: " + answers);

        PageOcr sample = TopicReader.values(records, Topics.PAGES_OCR).getFirst();
        assertEquals("tiny", sample.getRun().getModelId());
        assertEquals("e2e-worker", sample.getRun().getWorker());
        assertTrue(sample.getRun().getTiles() >= 1 && sample.getRun().getGeneratedTokens() > 0);
        assertTrue(sample.getConfidence() > 0 && sample.getConfidence() <= 1);
        PageAnswers sampleAnswers =
                TopicReader.values(records, Topics.PAGES_ANSWERS).getFirst();
        assertEquals(
                QUESTIONS,
                sampleAnswers.getAnswers().stream().map(a -> a.getQuestion()).toList());

        List<PageFailure> dlq = TopicReader.values(records, Topics.PAGES_DLQ);
        assertEquals(1, dlq.size());
        assertEquals("e2e-corrupt", dlq.getFirst().getDocumentId());
        assertEquals(Failure.CORRUPT_IMAGE, dlq.getFirst().getReasonCode());
        List<DocumentStatus> status = TopicReader.values(records, Topics.DOCUMENTS_STATUS);
        assertEquals(1, status.size());
        assertEquals(DocumentState.PAGE_FAILED, status.getFirst().getState());
        assertEquals("e2e-corrupt", status.getFirst().getDocumentId());
    }

    private static <T> Map<String, Long> perPage(List<T> values, Function<T, String> page) {
        return values.stream().collect(Collectors.groupingBy(page, Collectors.counting()));
    }
}
