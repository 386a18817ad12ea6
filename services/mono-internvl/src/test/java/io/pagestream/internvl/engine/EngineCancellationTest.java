package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancelling running and queued requests frees their slots for the rest; closing fails what is left. */
class EngineCancellationTest {

    @Test
    void aRunningRequestStopsAtTheNextStepAndItsSlotIsReused() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, 400))) {
            GenerationHandle[] self = new GenerationHandle[1];
            CountDownLatch submitted = new CountDownLatch(1);
            GenerationListener cancelAtThird = new GenerationListener() {
                @Override
                public void onToken(int index, int tokenId, float logprob) {
                    awaitQuietly(submitted);
                    if (index == 2) {
                        self[0].cancel();
                    }
                }
            };
            List<GenerationHandle> handles =
                    engine.submit(PageRequest.text(GenerationRequest.of("Write a long story.", 200)
                            .withStopTokens(Set.of())
                            .withListener(cancelAtThird)));
            self[0] = handles.getFirst();
            submitted.countDown();
            GenerationHandle next = engine.submit(PageRequest.text(
                            GenerationRequest.of("Then this.", 3).withStopTokens(Set.of())))
                    .getFirst();
            GenerationResult cancelled = self[0].join();
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
            assertEquals(3, cancelled.tokenIds().length);
            GenerationResult after = next.join();
            assertEquals(FinishReason.LENGTH, after.finishReason());
            assertEquals(3, after.tokenIds().length);
        }
    }

    @Test
    void cancellingTheFutureOrAQueuedRequest() throws Exception {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, 400))) {
            CountDownLatch started = new CountDownLatch(1);
            GenerationHandle running = engine.submit(PageRequest.text(GenerationRequest.of("Write a long story.", 300)
                            .withStopTokens(Set.of())
                            .withListener(new GenerationListener() {
                                @Override
                                public void onToken(int index, int tokenId, float logprob) {
                                    started.countDown();
                                }
                            })))
                    .getFirst();
            GenerationHandle queued = engine.submit(PageRequest.text(
                            GenerationRequest.of("Never mind.", 5).withStopTokens(Set.of())))
                    .getFirst();
            GenerationHandle last = engine.submit(PageRequest.text(
                            GenerationRequest.of("Short one.", 2).withStopTokens(Set.of())))
                    .getFirst();
            assertTrue(started.await(30, TimeUnit.SECONDS));
            queued.cancel();
            running.result().cancel(true);
            assertThrows(CancellationException.class, running::join);
            GenerationResult skipped = queued.join();
            assertEquals(FinishReason.CANCELLED, skipped.finishReason());
            assertEquals(0, skipped.tokenIds().length);
            assertEquals(2, last.join().tokenIds().length, "the freed slot serves the next page");
        }
    }

    @Test
    void closingFailsQueuedAndRunningRequests() {
        GenerationHandle running;
        GenerationHandle queued;
        CountDownLatch started = new CountDownLatch(1);
        GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(1, 400));
        running = engine.submit(PageRequest.text(GenerationRequest.of("Go on forever.", 300)
                        .withStopTokens(Set.of())
                        .withListener(new GenerationListener() {
                            @Override
                            public void onToken(int index, int tokenId, float logprob) {
                                started.countDown();
                            }
                        })))
                .getFirst();
        queued = engine.submit(PageRequest.text(GenerationRequest.of("Waiting.", 5)))
                .getFirst();
        awaitQuietly(started);
        engine.close();
        assertThrows(CancellationException.class, queued::join);
        assertThrows(CancellationException.class, running::join);
        assertThrows(
                IllegalStateException.class,
                () -> engine.submit(PageRequest.text(GenerationRequest.of("Too late.", 2))));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
