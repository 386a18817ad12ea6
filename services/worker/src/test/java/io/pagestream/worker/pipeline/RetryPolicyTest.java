package io.pagestream.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.engine.RequestRejectedException;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.Stage;
import org.junit.jupiter.api.Test;

/** Which failed attempts shrink the batch, which retry alone, and when a page is given up with which reason. */
class RetryPolicyTest {
    private static final RetryPolicy POLICY = new RetryPolicy(3);
    private static final Throwable ORT_OOM = new IllegalStateException(
            "inference failed", new OrtException("Failed to allocate memory for requested buffer of size 1073741824"));
    private static final Throwable BUG = new IllegalStateException("decode step failed: a poisoned prompt");
    private static final Throwable REFUSED = new RequestRejectedException("the prompt needs more than one slot");

    @Test
    void outOfMemoryRetriesWithTheOthersAndShrinksTheBatch() {
        assertEquals(new RetryPolicy.Retry(true, false), POLICY.afterFailure(1, ORT_OOM, false));
        assertEquals(new RetryPolicy.Retry(true, false), POLICY.afterFailure(2, new OutOfMemoryError(), false));
    }

    @Test
    void aRefusalCountsAsMemory() {
        assertEquals(new RetryPolicy.Retry(true, false), POLICY.afterFailure(1, REFUSED, true));
    }

    @Test
    void anyOtherErrorRetriesThePageAlone() {
        assertEquals(new RetryPolicy.Retry(false, true), POLICY.afterFailure(1, BUG, false));
        assertEquals(new RetryPolicy.Retry(false, true), POLICY.afterFailure(2, BUG, false));
    }

    @Test
    void theLastAttemptGivesUpWithTheReasonOfTheFailure() {
        assertEquals(new RetryPolicy.GiveUp(false, Failure.INFERENCE_ERROR), POLICY.afterFailure(3, BUG, false));
        assertEquals(new RetryPolicy.GiveUp(true, Failure.INFERENCE_ERROR), POLICY.afterFailure(3, ORT_OOM, false));
        assertEquals(new RetryPolicy.GiveUp(true, Failure.TOO_LARGE), POLICY.afterFailure(3, REFUSED, true));
        assertEquals(
                new RetryPolicy.GiveUp(false, Failure.INFERENCE_ERROR),
                new RetryPolicy(1).afterFailure(1, BUG, false),
                "one attempt allowed: no retry");
    }

    @Test
    void aPageTheProcessDiedOnMaxAttemptsTimesIsGivenUpUnrun() {
        assertTrue(POLICY.afterDeaths(0).isEmpty());
        assertTrue(POLICY.afterDeaths(2).isEmpty(), "two deaths of three allowed: it runs again, alone");
        Failure failure = POLICY.afterDeaths(3).orElseThrow();
        assertEquals(Failure.INFERENCE_ERROR, failure.reasonCode());
        assertEquals(Stage.INFERENCE, failure.stage());
        assertTrue(failure.message().startsWith("the worker process died 3 times"), failure.message());
    }

    @Test
    void atLeastOneAttempt() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0));
    }
}
