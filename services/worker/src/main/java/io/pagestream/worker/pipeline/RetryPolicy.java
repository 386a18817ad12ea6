package io.pagestream.worker.pipeline;

import io.pagestream.internvl.engine.RequestRejectedException;
import io.pagestream.worker.output.Failure;
import io.pagestream.worker.output.Stage;
import java.util.Optional;

/**
 * What becomes of a page whose attempt at the engine failed. An out-of-memory error, or a refusal by the engine,
 * says the batch was too big: the batch limit shrinks and the page is retried with the others. Any other error may
 * be a batch-mate's, since the engine fails every active sequence when a batched step fails: the page is retried
 * alone, with the engine to itself, so that a failure seen alone is its own. After {@code maxAttempts} tries the
 * page is given up: {@code TOO_LARGE} when the engine refused it, {@code INFERENCE_ERROR} otherwise. A page that
 * worker processes died on {@code maxAttempts} times is given up before it reaches the engine again.
 */
record RetryPolicy(int maxAttempts) {

    RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The decision on one failed attempt. */
    sealed interface Decision {
        /** The failure was one of memory (or a refusal): the batch limit should shrink. */
        boolean memory();
    }

    /** Back to the front of the batcher, in a batch of its own when {@code alone}. */
    record Retry(boolean memory, boolean alone) implements Decision {}

    /** No more tries: the page fails with {@code reasonCode}. */
    record GiveUp(boolean memory, String reasonCode) implements Decision {}

    /**
     * The failure of a page that was at the engine each of the {@code deaths} times a worker process ended
     * (native code crashed, the process was killed for memory): once they reach {@code maxAttempts} it is not run
     * again; before, empty.
     */
    Optional<Failure> afterDeaths(int deaths) {
        if (deaths < maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(new Failure(
                Failure.INFERENCE_ERROR,
                Stage.INFERENCE,
                "the worker process died " + deaths + " times while this page was at the engine (a crash in native"
                        + " code, or killed for memory); not run again"));
    }

    /**
     * @param attempt the attempt that failed, 1 for the first
     * @param refused the engine refused the page at submit rather than failing it while it ran
     */
    Decision afterFailure(int attempt, Throwable error, boolean refused) {
        boolean memory = refused || OutOfMemory.is(error);
        if (attempt >= maxAttempts) {
            return new GiveUp(
                    memory, error instanceof RequestRejectedException ? Failure.TOO_LARGE : Failure.INFERENCE_ERROR);
        }
        return new Retry(memory, !memory);
    }
}
