package io.pagestream.internvl.engine;

/**
 * Streaming callbacks of one request, called on the engine's thread in generation order: keep them short, since the
 * whole batch waits for them. An exception thrown here fails that request only.
 */
public interface GenerationListener {
    GenerationListener NONE = new GenerationListener() {};

    /** A token was generated; {@code index} counts from 0. */
    default void onToken(int index, int tokenId, float logprob) {}

    /** The request finished; the same result also completes its future. */
    default void onFinish(GenerationResult result) {}

    /** The request failed (a model error, or the engine closed); its future completes exceptionally. */
    default void onError(Throwable error) {}
}
