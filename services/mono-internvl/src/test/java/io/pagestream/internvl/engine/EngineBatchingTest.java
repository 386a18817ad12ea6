package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.image.PixelTiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batching changes nothing in the output: requests of different prompt lengths, tile counts and lengths give the
 * same tokens whether run alone, batched together, with slots refilled as sequences finish (continuous batching),
 * or submitted from several threads at once.
 */
class EngineBatchingTest {
    private static final int CAPACITY = 400;
    private static List<PageRequest> pages;
    private static List<GenerationResult> alone;

    @BeforeAll
    static void runEachAlone() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, CAPACITY))) {
            PixelTiles wide = engine.preprocess(TinyEngineModel.image(448, 224, 3));
            PixelTiles square = engine.preprocess(TinyEngineModel.image(224, 224, 4));
            pages = List.of(
                    PageRequest.of(wide, request("Transcribe the page.", 9)),
                    PageRequest.of(square, request("Describe it.", 3)),
                    PageRequest.text(request("Hello there, how are you today?", 12)),
                    PageRequest.of(square, request("A longer question about the small picture, with detail?", 5)),
                    PageRequest.text(request("Hi", 7)),
                    PageRequest.of(wide, request("What does the footer say?", 2)));
            alone = new ArrayList<>();
            for (PageRequest page : pages) {
                alone.addAll(engine.generate(page));
            }
        }
    }

    @Test
    void batchedOutputIsTheOneAtATimeOutput() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(6, CAPACITY))) {
            assertSameAsAlone(submitAll(engine), "batch of 6");
            EngineStats stats = engine.stats();
            assertTrue(stats.decodeTokens() > stats.decodeSteps(), "rows were decoded together: " + stats);
        }
    }

    @Test
    void continuousBatchingRefillsSlotsWithoutChangingOutputs() {
        EngineStats continuous;
        EngineStats fixed;
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(2, CAPACITY))) {
            assertSameAsAlone(submitAll(engine), "2 slots, continuous");
            continuous = engine.stats();
        }
        try (GenerationEngine engine =
                TinyEngineModel.open(TinyEngineModel.config(2, CAPACITY).withContinuousBatching(false))) {
            assertSameAsAlone(submitAll(engine), "2 slots, static batches");
            fixed = engine.stats();
        }
        assertEquals(continuous.decodeTokens(), fixed.decodeTokens());
        assertTrue(
                continuous.decodeSteps() < fixed.decodeSteps(),
                "continuous batching needs fewer steps: " + continuous.decodeSteps() + " vs " + fixed.decodeSteps());
    }

    @Test
    void submissionsFromSeveralThreads() throws Exception {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(3, CAPACITY));
                ExecutorService threads = Executors.newFixedThreadPool(3)) {
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (PageRequest page : pages) {
                futures.add(threads.submit(() -> engine.submit(page).getFirst().join()));
            }
            List<GenerationResult> results = new ArrayList<>();
            for (Future<GenerationResult> future : futures) {
                results.add(future.get());
            }
            assertSameAsAlone(results, "3 submitting threads");
        }
    }

    private static List<GenerationResult> submitAll(GenerationEngine engine) {
        List<GenerationHandle> handles = new ArrayList<>();
        pages.forEach(page -> handles.addAll(engine.submit(page)));
        return handles.stream().map(GenerationHandle::join).toList();
    }

    private static void assertSameAsAlone(List<GenerationResult> results, String how) {
        double worst = 0;
        for (int i = 0; i < results.size(); i++) {
            GenerationResult want = alone.get(i);
            GenerationResult got = results.get(i);
            assertArrayEquals(want.promptTokenIds(), got.promptTokenIds());
            assertArrayEquals(want.tokenIds(), got.tokenIds(), how + ": request " + i);
            assertEquals(want.finishReason(), got.finishReason());
            for (int t = 0; t < want.logprobs().length; t++) {
                worst = Math.max(worst, Math.abs(want.logprobs()[t] - got.logprobs()[t]));
            }
        }
        System.out.printf("[engine-batching] %s: same tokens as alone, max |Δ logprob| %.2e%n", how, worst);
        assertTrue(worst < 1e-4, how + ": logprob difference " + worst);
    }

    private static GenerationRequest request(String prompt, int maxNewTokens) {
        return GenerationRequest.of(prompt, maxNewTokens).withStopTokens(Set.of());
    }
}
