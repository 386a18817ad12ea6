package io.pagestream.worker.output;

/** Where a page failed, as {@code PageFailure.stage} names it. */
public enum Stage {
    /** Reading the record or decoding the image. */
    DECODE,
    /** Tiling the image and building the prompts. */
    PREPROCESS,
    /** In the engine. */
    INFERENCE,
    /** Writing the results. */
    PUBLISH
}
