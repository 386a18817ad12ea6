package io.pagestream.internvl.onnx;

/**
 * What a conversion stores and computes in. {@code INT4} quantises the decoder's big linear layers to 4 bits
 * ({@code MatMulNBits}) and keeps everything else, activations included, in float32: that is the combination the
 * CPU execution provider runs fastest. {@code INT4_FP16} quantises the same layers the same way but runs activations,
 * block scales, the KV cache and every weight that is not quantised in float16, as the CUDA {@code MatMulNBits}
 * kernel wants it (its float16 path; the CPU provider runs it too, see docs/engine.md "Precision"). {@code FP16} and
 * {@code BF16} store weights and run activations in that type; they target the CUDA execution provider. The vision
 * graph of {@code BF16} stays in float32: ONNX's Conv accepts no bfloat16 before opset 22, and the patch embedding
 * and projector are a negligible share of the work.
 *
 * <p>float16 overflows above 65504; see {@link DecoderOptions#fp32Residual()} for the residual stream.
 */
public enum TargetDtype {
    FP32(Precision.FP32),
    FP16(Precision.FP16),
    BF16(Precision.BF16),
    INT4(Precision.FP32),
    INT4_FP16(Precision.FP16);

    private final Precision precision;

    TargetDtype(Precision precision) {
        this.precision = precision;
    }

    /** The element type of activations, of the KV cache and of every weight that is not quantised. */
    public Precision precision() {
        return precision;
    }

    /** The precision of the vision graph's weights and activations. */
    public Precision visionPrecision() {
        return this == BF16 ? Precision.FP32 : precision;
    }

    public boolean quantised() {
        return this == INT4 || this == INT4_FP16;
    }
}
