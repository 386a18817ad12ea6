package io.pagestream.internvl.engine;

import java.util.concurrent.CompletableFuture;

/** One submitted prompt: its result when done, and a way to stop it early. Safe to use from any thread. */
public final class GenerationHandle {
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean cancelRequested;

    GenerationHandle() {}

    /**
     * Completes with the result (a cancelled request completes normally, {@link FinishReason#CANCELLED}, with the
     * tokens made so far), or exceptionally on a model error or when the engine closes first.
     */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Waits for the result. */
    public GenerationResult join() {
        return result.join();
    }

    /**
     * Asks the engine to stop this request: a queued one never starts, a running one stops before its next decode
     * step and frees its slot. Cancelling the {@link #result()} future directly also frees the slot.
     */
    public void cancel() {
        cancelRequested = true;
    }

    boolean cancelled() {
        return cancelRequested || result.isDone();
    }

    CompletableFuture<GenerationResult> future() {
        return result;
    }
}
