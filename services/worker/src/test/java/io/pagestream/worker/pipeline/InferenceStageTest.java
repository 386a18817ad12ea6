package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.image.TileGrid;
import io.pagestream.schema.Answer;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.PageOcr;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Topics;
import io.pagestream.worker.batch.AdaptiveLimits;
import io.pagestream.worker.batch.BatchLimits;
import io.pagestream.worker.batch.MicroBatcher;
import io.pagestream.worker.model.ModelIdentity;
import io.pagestream.worker.model.Prompts;
import io.pagestream.worker.output.AnswerReader;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.FailureMapper;
import io.pagestream.worker.output.ResultMapper;
import io.pagestream.worker.testing.Pages;
import io.pagestream.worker.testing.ScriptedEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The inference stage against a scripted engine: batching, out-of-memory, a bad page, a hung page, revocation. */
class InferenceStageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Prompts PROMPTS = new Prompts(
            "Read the text.",
            "Read the markdown.",
            "Read the regions.",
            "{question}",
            "{question} grounded",
            "None.",
            16,
            8);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    private final Outcomes outcomes = new Outcomes();
    private final PartitionLease lease = new PartitionLease(new TopicPartition(Topics.DOCUMENTS_PAGES.name(), 0));
    private ScriptedEngine engine;
    private MicroBatcher<PreparedPage> batcher;
    private AdaptiveLimits limits;
    private InferenceStage stage;
    private int offset;
    private InferenceStage.Gate gate = pages -> true;

    private void start(int slots, int memoryPrompts, int maxPages, int inFlight, Duration pageTimeout) {
        engine = new ScriptedEngine(slots, 4096, memoryPrompts, 10);
        batcher = new MicroBatcher<>(64);
        limits = new AdaptiveLimits(new BatchLimits(maxPages, slots, 1_000_000));
        stage = new InferenceStage(
                engine,
                batcher,
                gate,
                limits,
                new InferenceStage.Settings(Duration.ofMillis(50), inFlight, pageTimeout, 3),
                new ResultMapper(new ModelIdentity("test", "v1"), "w1", CLOCK, new AnswerReader(0, "None.")),
                new FailureMapper("w1", CLOCK),
                outcomes,
                new PipelineMetrics(new SimpleMeterRegistry()),
                PageTracing.off());
        stage.start();
    }

    @AfterEach
    void stop() {
        if (stage != null) {
            stage.close();
            engine.close();
        }
    }

    private PreparedPage page(String documentId, String... questions) {
        PageImage image = Pages.page(documentId, 0, 1, new byte[0], List.of(questions));
        PageTask task =
                new PageTask(lease, offset++, documentId + "/0", null, new RecordHeaders(), System.nanoTime(), 0);
        PixelTiles tiles = new PixelTiles(new TileGrid(1, 1), false, 1, 2, new float[12]);
        return new PreparedPage(task, image, tiles, PROMPTS.forPage(image), 100, 1, false, List.of());
    }

    private void submit(PreparedPage... pages) throws InterruptedException {
        for (PreparedPage page : pages) {
            batcher.put(page);
        }
    }

    private Map<String, PageOutcome> await(int count) throws InterruptedException {
        List<PageOutcome> got = new ArrayList<>();
        Wait.atMost(WAIT, () -> {
            // up to count: later outcomes stay queued for the next await
            for (PageOutcome outcome; got.size() < count && (outcome = outcomes.poll()) != null; ) {
                got.add(outcome);
            }
            return got.size() >= count;
        });
        assertEquals(count, got.size(), "outcomes within " + WAIT);
        return got.stream().collect(Collectors.toMap(o -> o.task().key(), Function.identity()));
    }

    private static <T> T value(PageOutcome outcome, String topic, Class<T> type) {
        return outcome.records().stream()
                .filter(r -> r.topic().equals(topic))
                .map(r -> type.cast(r.value()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + topic + " record in " + outcome));
    }

    @Test
    void pagesRunInMicroBatchesAndEachGetsOcrAndAnswers() throws Exception {
        start(16, 100, 4, 1, WAIT);
        for (int i = 0; i < 8; i++) {
            submit(page("doc" + i, "What is the total?"));
        }
        Map<String, PageOutcome> done = await(8);
        for (int i = 0; i < 8; i++) {
            PageOutcome outcome = done.get("doc" + i + "/0");
            assertNull(outcome.failureReason());
            PageOcr ocr = value(outcome, Topics.PAGES_OCR.name(), PageOcr.class);
            assertEquals("answer to Read the markdown.", ocr.getText(), "a page asks for markdown unless it says");
            assertEquals("doc" + i, ocr.getDocumentId());
            PageAnswers answers = value(outcome, Topics.PAGES_ANSWERS.name(), PageAnswers.class);
            assertEquals(1, answers.getAnswers().size());
            assertEquals("What is the total?", answers.getAnswers().getFirst().getQuestion());
            assertEquals(Math.exp(-0.1), answers.getAnswers().getFirst().getConfidence(), 1e-6);
            assertTrue(ocr.getRun().getBatchSize() >= 1 && ocr.getRun().getBatchSize() <= 4);
            assertEquals("test", ocr.getRun().getModelId());
        }
        assertTrue(
                engine.stepSizes().stream().allMatch(size -> size <= 8),
                "at most 4 pages × 2 prompts per step: " + engine.stepSizes());
        assertTrue(engine.stepSizes().contains(8), "full micro-batches: " + engine.stepSizes());
    }

    @Test
    void aQuestionThatCannotBeAskedFailsAloneWhileTheOcrAndTheOtherAnswersComeBack() throws Exception {
        start(16, 100, 4, 1, WAIT);
        PageDecoder decoder = new PageDecoder(Topics.DOCUMENTS_PAGES.name(), null, engine, PROMPTS, 1 << 20);
        // The engine's slots hold 4096 positions; this question alone needs 5,000.
        PageImage image = Pages.page("long", 0, 1, Pages.png(64, 48, 1), List.of("q0", "x".repeat(40_000), "q2"));
        PageTask task = new PageTask(lease, offset++, "long/0", null, new RecordHeaders(), System.nanoTime(), 0);
        submit(decoder.prepare(task, image, decoder.prompts(image)));

        PageOutcome outcome = await(1).get("long/0");
        assertNull(outcome.failureReason());
        assertEquals(
                "answer to Read the markdown.",
                value(outcome, Topics.PAGES_OCR.name(), PageOcr.class).getText());
        List<Answer> answers =
                value(outcome, Topics.PAGES_ANSWERS.name(), PageAnswers.class).getAnswers();
        assertEquals(
                List.of(0, 1, 2), answers.stream().map(Answer::getQuestionIndex).toList(), "in question order");
        assertEquals("answer to q0", answers.get(0).getText());
        assertEquals("answer to q2", answers.get(2).getText());
        Answer unasked = answers.get(1);
        assertTrue(unasked.getNoAnswer());
        assertEquals("", unasked.getText());
        assertEquals(0, unasked.getGeneratedTokens());
        assertEquals(0, unasked.getConfidence());
        assertTrue(
                engine.stepSizes().stream().mapToInt(Integer::intValue).sum() == 3,
                "only OCR and the two short questions reached the engine: " + engine.stepSizes());
    }

    @Test
    void aBatchReachesTheEngineOnlyOnceTheGateLetsIt() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        List<String> admitted = new CopyOnWriteArrayList<>();
        gate = pages -> {
            pages.forEach(p -> admitted.add(p.key()));
            open.await();
            return true;
        };
        start(16, 100, 4, 1, WAIT);
        submit(page("held", "q"));
        Wait.atMost(WAIT, () -> !admitted.isEmpty());
        Thread.sleep(200);
        assertEquals(List.of(), engine.stepSizes(), "nothing at the engine while the gate holds the batch");
        open.countDown();
        assertNull(await(1).get("held/0").failureReason());
        assertEquals(List.of("held/0"), admitted);
    }

    @Test
    void pagesTheGateRefusesNeverReachTheEngine() throws Exception {
        gate = pages -> false;
        start(16, 100, 4, 1, WAIT);
        submit(page("refused", "q"));
        Wait.atMost(Duration.ofSeconds(10), () -> batcher.size() == 0);
        Thread.sleep(200);
        assertEquals(List.of(), engine.stepSizes());
        assertEquals(0, stage.pagesAtEngine());
        assertNull(outcomes.poll(), "an abandoned page has no outcome");
    }

    @Test
    void outOfMemoryShrinksTheBatchAndRetriesEveryPage() throws Exception {
        start(16, 4, 4, 1, WAIT);
        for (int i = 0; i < 8; i++) {
            submit(page("doc" + i, "Who signed?"));
        }
        Map<String, PageOutcome> done = await(8);
        assertTrue(done.values().stream().noneMatch(PageOutcome::failed), "every page succeeds after the shrink");
        assertEquals(8, engine.stepSizes().getFirst(), "the first batch ran out of memory");
        assertTrue(
                engine.stepSizes().stream().skip(1).allMatch(size -> size <= 4),
                "then 2 pages at most: " + engine.stepSizes());
        assertTrue(limits.current().pages() < 4, "the limit shrank");
    }

    @Test
    void aFailingPageIsRetriedAloneAndOnlyItGoesToTheDlq() throws Exception {
        start(16, 100, 4, 2, WAIT);
        submit(page("good1", "q"), page("bad", ScriptedEngine.POISON), page("good2", "q"), page("good3", "q"));
        Map<String, PageOutcome> done = await(4);
        for (String good : List.of("good1/0", "good2/0", "good3/0")) {
            assertNull(done.get(good).failureReason(), good);
        }
        PageOutcome bad = done.get("bad/0");
        assertEquals(Failure.INFERENCE_ERROR, bad.failureReason());
        PageFailure failure = value(bad, Topics.PAGES_DLQ.name(), PageFailure.class);
        assertEquals(3, failure.getAttempts());
        assertEquals("INFERENCE", failure.getStage());
        assertEquals(Topics.DOCUMENTS_PAGES.name(), failure.getSourceTopic());
        assertTrue(failure.getMessage().contains("poisoned"), failure.getMessage());
        assertEquals(Topics.DOCUMENTS_STATUS.name(), bad.records().get(1).topic());
    }

    @Test
    void aHungPageTimesOutWithoutHoldingBackItsBatchMates() throws Exception {
        start(16, 100, 4, 1, Duration.ofMillis(500));
        submit(page("ok1", "q"), page("stuck", ScriptedEngine.HANG), page("ok2", "q"));
        Map<String, PageOutcome> done = await(3);
        assertNull(done.get("ok1/0").failureReason());
        assertNull(done.get("ok2/0").failureReason());
        assertEquals(Failure.TIMEOUT, done.get("stuck/0").failureReason());
    }

    @Test
    void pagesOfARevokedPartitionAreCancelledAndDropped() throws Exception {
        start(16, 100, 4, 1, WAIT);
        PartitionLease other = new PartitionLease(new TopicPartition(Topics.DOCUMENTS_PAGES.name(), 1));
        PreparedPage stuck = page("revoked", ScriptedEngine.HANG);
        PreparedPage moved = new PreparedPage(
                new PageTask(other, 0, "revoked/0", null, new RecordHeaders(), 0, 0),
                stuck.page(),
                stuck.tiles(),
                stuck.prompts(),
                100,
                1,
                false,
                List.of());
        submit(moved);
        Wait.atMost(WAIT, () -> stage.pagesAtEngine() > 0);
        other.revoke();
        stage.cancelAbandoned();
        submit(page("next", "q"));
        Map<String, PageOutcome> done = await(1);
        assertNull(done.get("next/0").failureReason(), "the window was freed for the next batch");
        assertEquals(0, stage.pagesAtEngine());
        assertNull(outcomes.poll(), "nothing for the revoked page");
    }

    @Test
    void aPageWithMorePromptsThanSlotsRunsInChunksAndKeepsQuestionOrder() throws Exception {
        start(2, 100, 4, 1, WAIT);
        submit(page("many", "q0", "q1", "q2", "q3"));
        PageAnswers answers = value(await(1).get("many/0"), Topics.PAGES_ANSWERS.name(), PageAnswers.class);
        assertEquals(
                List.of("q0", "q1", "q2", "q3"),
                answers.getAnswers().stream().map(a -> a.getQuestion()).toList());
        assertEquals(
                List.of(0, 1, 2, 3),
                answers.getAnswers().stream().map(a -> a.getQuestionIndex()).toList());
        assertEquals("answer to q2", answers.getAnswers().get(2).getText());
    }
}
