package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Delivery of ended requests: nothing before {@code deliver}, the listener before the future, each exactly once. */
class CompletionsTest {
    private static final GenerationResult RESULT = new GenerationResult(
            new int[] {1}, new int[] {2}, new float[] {0}, "", FinishReason.STOP, 0, new Timings(0, 0, 0, 0, 0, 0, 0));

    private final Completions completions = new Completions();

    private static PendingPage.Prompt prompt(GenerationListener listener) {
        return new PendingPage.Prompt(
                new GenerationHandle(),
                GenerationRequest.of("q", 4).withListener(listener),
                new int[] {1},
                new int[0],
                RepetitionGuard.NONE);
    }

    @Test
    void aResultReachesItsListenerThenItsFutureOnlyWhenDelivered() {
        List<String> seen = new ArrayList<>();
        PendingPage.Prompt[] holder = new PendingPage.Prompt[1];
        holder[0] = prompt(new GenerationListener() {
            @Override
            public void onFinish(GenerationResult result) {
                seen.add("listener, future done: " + holder[0].handle().result().isDone());
            }
        });
        completions.complete(holder[0], RESULT);
        assertFalse(holder[0].handle().result().isDone(), "held until the iteration's bookkeeping is done");

        completions.deliver();
        assertEquals(List.of("listener, future done: false"), seen);
        assertSame(RESULT, holder[0].handle().join());

        completions.deliver();
        assertEquals(1, seen.size(), "delivered once");
    }

    @Test
    void anErrorReachesOnErrorAndFailsTheFuture() {
        List<Throwable> errors = new ArrayList<>();
        PendingPage.Prompt prompt = prompt(new GenerationListener() {
            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        });
        CancellationException closed = new CancellationException("the engine closed");
        completions.fail(prompt, closed);
        completions.deliver();
        assertEquals(List.of(closed), errors);
        assertThrows(CancellationException.class, () -> prompt.handle().join());
        assertSame(
                closed,
                prompt.handle().result().handle((result, error) -> error).join());
    }

    @Test
    void aListenerThatThrowsStillLetsItsFutureAndTheOthersComplete() {
        PendingPage.Prompt throwing = prompt(new GenerationListener() {
            @Override
            public void onFinish(GenerationResult result) {
                throw new IllegalStateException("listener bug");
            }
        });
        PendingPage.Prompt next = prompt(GenerationListener.NONE);
        completions.complete(throwing, RESULT);
        completions.complete(next, RESULT);
        completions.deliver();
        assertSame(RESULT, throwing.handle().join());
        assertSame(RESULT, next.handle().join());
    }
}
