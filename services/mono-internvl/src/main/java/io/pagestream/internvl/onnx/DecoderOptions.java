package io.pagestream.internvl.onnx;

/**
 * How the decoder graph is built.
 *
 * @param dtype        weight and activation types
 * @param int4         quantisation settings, used when {@code dtype} is quantised ({@link TargetDtype#quantised()})
 * @param allLogits    logits for every position [B, S, vocab] (for scoring and tests) instead of only the last valid
 *                     position of each row [B, 1, vocab] (for generation: the LM head then runs on B rows, not B · S)
 * @param fp32Residual keep the residual stream in float32 while the dtype's half precision runs everything else: the
 *                     embeddings enter the first norm without a Cast, every {@code SkipSimplifiedLayerNormalization}
 *                     (the residual add and the RMSNorm) and the plain first {@code SimplifiedLayerNormalization}
 *                     run in float32 with float32 norm weights, the attention and FFN outputs are cast up before the
 *                     add, and each norm's output is cast down for the matmuls. Weights, matmuls, attention and the
 *                     KV cache keep the dtype's precision. It answers float16's 65504 ceiling for the large residual
 *                     activations of trained InternLM2 checkpoints (docs/engine.md, "Precision"). Meaningless for a
 *                     float32 dtype ({@code FP32}, {@code INT4}), where it is normalised to false so that it cannot
 *                     split the conversion cache
 */
public record DecoderOptions(TargetDtype dtype, Int4Options int4, boolean allLogits, boolean fp32Residual) {
    public DecoderOptions {
        fp32Residual = fp32Residual && dtype.precision() != Precision.FP32;
    }

    /** Options with the residual stream in the dtype's own precision. */
    public DecoderOptions(TargetDtype dtype, Int4Options int4, boolean allLogits) {
        this(dtype, int4, allLogits, false);
    }

    public static DecoderOptions of(TargetDtype dtype) {
        return new DecoderOptions(dtype, Int4Options.DEFAULT, false);
    }

    public DecoderOptions withFp32Residual(boolean on) {
        return new DecoderOptions(dtype, int4, allLogits, on);
    }

    /** The precision of the residual stream and of the norms that read and write it. */
    public Precision residualPrecision() {
        return fp32Residual ? Precision.FP32 : dtype.precision();
    }
}
