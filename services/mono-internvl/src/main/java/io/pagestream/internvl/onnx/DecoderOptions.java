package io.pagestream.internvl.onnx;

/**
 * How the decoder graph is built.
 *
 * @param dtype     weight and activation types
 * @param int4      quantisation settings, used when {@code dtype} is {@link TargetDtype#INT4}
 * @param allLogits logits for every position [B, S, vocab] (for scoring and tests) instead of only the last valid
 *                  position of each row [B, 1, vocab] (for generation: the LM head then runs on B rows, not B · S)
 */
public record DecoderOptions(TargetDtype dtype, Int4Options int4, boolean allLogits) {
    public static DecoderOptions of(TargetDtype dtype) {
        return new DecoderOptions(dtype, Int4Options.DEFAULT, false);
    }
}
