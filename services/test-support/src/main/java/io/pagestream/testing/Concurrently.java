package io.pagestream.testing;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Work a test runs beside its own thread, each piece on a platform thread of its own. Not the common fork-join pool:
 * on a 2-core machine that pool has one worker, and Groovy (under RestAssured) initialises its classes by waiting on a
 * task in that pool, so a first RestAssured call on the test's thread and another inside the pool wait on each other
 * forever (seen in PackagedRenderIT).
 */
public final class Concurrently {
    private Concurrently() {}

    public static <T> CompletableFuture<T> supply(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
