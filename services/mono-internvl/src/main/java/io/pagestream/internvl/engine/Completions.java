package io.pagestream.internvl.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests that ended in the current iteration of the engine loop, handed to their callers by {@link #deliver()}
 * once the iteration's bookkeeping is done, so that a caller woken by its result sees statistics that include it.
 * Touched only by the engine thread.
 */
final class Completions {
    private static final System.Logger LOG = System.getLogger(Completions.class.getName());

    private final List<Completion> ended = new ArrayList<>();

    /** A finished or failed request: exactly one of result and error is set. */
    private record Completion(PendingPage.Prompt prompt, GenerationResult result, Throwable error) {}

    void complete(PendingPage.Prompt prompt, GenerationResult result) {
        ended.add(new Completion(prompt, result, null));
    }

    void fail(PendingPage.Prompt prompt, Throwable error) {
        ended.add(new Completion(prompt, null, error));
    }

    /**
     * Calls the listeners, then completes the futures, of every request that ended since the last call. A listener
     * that throws is logged and its future completed all the same.
     */
    void deliver() {
        for (Completion completion : ended) {
            GenerationListener listener = completion.prompt().request().listener();
            GenerationHandle handle = completion.prompt().handle();
            try {
                if (completion.error() == null) {
                    listener.onFinish(completion.result());
                } else {
                    listener.onError(completion.error());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener failed at the end of a request", e);
            }
            if (completion.error() == null) {
                handle.future().complete(completion.result());
            } else {
                handle.future().completeExceptionally(completion.error());
            }
        }
        ended.clear();
    }
}
