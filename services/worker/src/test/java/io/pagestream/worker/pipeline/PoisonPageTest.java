package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.servicetest.TopicReader;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.stack.ChildProcess;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Topics;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import io.pagestream.worker.testing.ScriptedWorkerMain;
import io.pagestream.worker.testing.WorkerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page whose inference kills the worker process: the worker runs in a child JVM on a scripted engine that halts the
 * JVM on the marked page, and this test restarts it each time it dies, as Kubernetes would. The page is recorded as
 * at the engine before it gets there, so each restart knows how many processes it took down: it runs alone (its
 * batch-mates run alone too and complete), and once it has killed {@code max-attempts} (3) processes it goes to the
 * DLQ with PAGE_FAILED unrun, and the worker stays up.
 */
@IntegrationTest
class PoisonPageTest {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int MAX_ATTEMPTS = 3;

    static {
        QuietKafka.atWarn();
    }

    private static ChildProcess startWorker(Path log) throws Exception {
        return ChildProcess.start(
                "scripted-worker",
                List.of(
                        ChildProcess.javaExecutable(),
                        "-Xmx256m",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ScriptedWorkerMain.class.getName(),
                        STACK.bootstrapServers(),
                        STACK.registryUrl(),
                        "poison-worker",
                        "group-poison"),
                log);
    }

    @Test
    void aPageThatKillsTheWorkerGoesToTheDlqAfterMaxAttemptsDeathsAndTheRestCompleteOnce() throws Exception {
        String prefix = "poison-";
        String poisoned = prefix + "doc0";
        int poisonedPage = 2;
        List<PageImage> pages = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            for (int p = 0; p < 4; p++) {
                boolean marked = d == 0 && p == poisonedPage;
                pages.add(Pages.page(
                        prefix + "doc" + d,
                        p,
                        4,
                        Pages.png(64, 48, d * 10 + p),
                        List.of(marked ? ScriptedEngine.HALT : "Total?")));
            }
        }
        TopicWriter.writeAll(STACK.bootstrapServers(), STACK.registryUrl(), pages);
        Path log = Files.createDirectories(Path.of("target", "poison")).resolve("worker.log");
        Files.deleteIfExists(log);

        int deaths = 0;
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (TopicReader reader = WorkerTopics.reader(STACK.bootstrapServers(), STACK.registryUrl())) {
            ChildProcess worker = startWorker(log);
            try {
                while (!complete(records, prefix) && deaths <= MAX_ATTEMPTS) {
                    ChildProcess running = worker;
                    Wait.atMost(WAIT, () -> {
                        records.addAll(reader.readUntil(List.of(), r -> false, Duration.ofMillis(100)));
                        return complete(records, prefix) || !running.isAlive();
                    });
                    if (!worker.isAlive()) {
                        deaths++;
                        System.out.printf("[poison] the worker died (%d); restarting it%n", deaths);
                        worker = startWorker(log);
                    } else {
                        assertTrue(complete(records, prefix), "outputs within " + WAIT + ":\n" + worker.logTail());
                    }
                }
                records.addAll(reader.readUntil(List.of(), r -> false, Duration.ofSeconds(2)));
                assertTrue(worker.isAlive(), "the worker keeps running once the page is on the DLQ");
                assertTrue(worker.stop(Duration.ofSeconds(30)), "and stops gracefully:\n" + worker.logTail());
            } finally {
                worker.close();
            }
        }

        assertEquals(MAX_ATTEMPTS, deaths, "the page took down max-attempts processes, no more");
        Map<String, Long> ocr = perPage(
                mine(TopicReader.values(records, Topics.PAGES_OCR), prefix, PageOcr::getDocumentId),
                o -> o.getDocumentId() + "/" + o.getPageIndex());
        Map<String, Long> answers = perPage(
                mine(TopicReader.values(records, Topics.PAGES_ANSWERS), prefix, PageAnswers::getDocumentId),
                a -> a.getDocumentId() + "/" + a.getPageIndex());
        String poisonKey = poisoned + "/" + poisonedPage;
        assertEquals(7, ocr.size(), "OCR of every other page: " + ocr.keySet());
        assertEquals(7, answers.size(), "answers of every other page: " + answers.keySet());
        assertTrue(!ocr.containsKey(poisonKey) && !answers.containsKey(poisonKey), "nothing of the poisoned page");
        assertTrue(ocr.values().stream().allMatch(n -> n == 1), "each once on read_committed: " + ocr);
        assertTrue(answers.values().stream().allMatch(n -> n == 1), "each once on read_committed: " + answers);

        List<PageFailure> dlq = mine(TopicReader.values(records, Topics.PAGES_DLQ), prefix, PageFailure::getDocumentId);
        assertEquals(1, dlq.size(), "one DLQ record: " + dlq);
        PageFailure failure = dlq.getFirst();
        assertEquals(poisoned, failure.getDocumentId());
        assertEquals(poisonedPage, failure.getPageIndex());
        assertEquals(Failure.INFERENCE_ERROR, failure.getReasonCode());
        assertEquals(MAX_ATTEMPTS, failure.getAttempts());
        assertTrue(failure.getMessage().contains("died 3 times"), failure.getMessage());
        List<DocumentStatus> status =
                mine(TopicReader.values(records, Topics.DOCUMENTS_STATUS), prefix, DocumentStatus::getDocumentId);
        assertEquals(1, status.size());
        assertEquals(DocumentState.PAGE_FAILED, status.getFirst().getState());
        assertEquals(poisonedPage, status.getFirst().getPageIndex());
    }

    /** Seven pages' OCR and answers and the poisoned page's DLQ record. */
    private static boolean complete(List<ConsumerRecord<String, SpecificRecord>> records, String prefix) {
        return count(records, Topics.PAGES_OCR.name(), prefix) >= 7
                && count(records, Topics.PAGES_ANSWERS.name(), prefix) >= 7
                && count(records, Topics.PAGES_DLQ.name(), prefix) >= 1;
    }

    private static long count(List<ConsumerRecord<String, SpecificRecord>> records, String topic, String prefix) {
        return records.stream()
                .filter(r -> r.topic().equals(topic) && r.key().startsWith(prefix))
                .count();
    }

    private static <T> List<T> mine(List<T> values, String prefix, Function<T, String> documentId) {
        return values.stream()
                .filter(v -> documentId.apply(v).startsWith(prefix))
                .toList();
    }

    private static <T> Map<String, Long> perPage(List<T> values, Function<T, String> page) {
        return values.stream().collect(Collectors.groupingBy(page, Collectors.counting()));
    }
}
