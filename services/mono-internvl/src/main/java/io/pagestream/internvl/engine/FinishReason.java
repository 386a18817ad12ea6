package io.pagestream.internvl.engine;

/** Why a generation ended. */
public enum FinishReason {
    /** A stop token was generated; it is the last token of the result. */
    STOP,
    /** {@code maxNewTokens} were generated. */
    LENGTH,
    /** The {@link RepetitionGuard} saw a loop. */
    REPETITION,
    /** {@link GenerationHandle#cancel()} was called, or the result future was cancelled. */
    CANCELLED
}
