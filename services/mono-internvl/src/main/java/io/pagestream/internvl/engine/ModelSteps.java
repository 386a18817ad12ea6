package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.image.PixelTiles;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The model work of the engine's loop, over a KV cache of fixed slots: prefill part of a prompt into a slot, copy a
 * prefix between slots, and decode one token for each of slots 0..b−1. One implementation per
 * {@link KvResidence}; both compute the same numbers.
 */
interface ModelSteps extends AutoCloseable {

    /** Runs the vision graph over a page's images, in order; prefill then reads their projector rows. */
    void encode(List<PixelTiles> images) throws OrtException;

    /**
     * Prefills tokens {@code from..to−1} of {@code prompt} into {@code slot}, on top of the {@code from} positions
     * already cached there; the prompt's {@code <IMG_CONTEXT>} tokens take the image rows in order.
     *
     * @return the logits after token {@code to − 1}, valid until the next call
     */
    FloatBuffer prefill(int slot, int[] prompt, int from, int to) throws OrtException;

    /** Copies the first {@code length} cached positions of slot {@code from} to slot {@code to}. */
    void copyPrefix(int from, int to, int length);

    /** Starts a decode step over rows 0..batch−1; rows not {@link #set} decode a pad token at position 0. */
    void clear(int batch);

    /** Row {@code row} feeds {@code token} at {@code position}, the number of tokens already in its cache. */
    void set(int row, int token, int position);

    /** Runs the step; row r's logits are then at {@link #logits()} from {@code r · vocab}. */
    void decode(int batch) throws OrtException;

    FloatBuffer logits();

    /** Bytes of the KV cache. */
    long kvBytes();

    /**
     * Bytes a decode step of {@code batch} rows moves between Java's host memory and the session's memory: on a GPU,
     * what crosses PCIe each step.
     */
    long stagedBytesPerStep(int batch);

    @Override
    void close();
}
