package io.pagestream.internvl.onnx;

/**
 * What a conversion stores and computes in. {@code INT4} quantises the decoder's big linear layers to 4 bits
 * ({@code MatMulNBits}) and keeps everything else, activations included, in float32: that is the combination the
 * CPU execution provider runs. {@code FP16} and {@code BF16} store weights and run activations in that type; they
 * target the CUDA execution provider. The vision graph of {@code BF16} stays in float32: ONNX's Conv accepts no
 * bfloat16 before opset 22, and the patch embedding and projector are a negligible share of the work.
 */
public enum TargetDtype {
    FP32(Precision.FP32),
    FP16(Precision.FP16),
    BF16(Precision.BF16),
    INT4(Precision.FP32);

    private final Precision precision;

    TargetDtype(Precision precision) {
        this.precision = precision;
    }

    /** The element type of activations and of every weight that is not quantised. */
    public Precision precision() {
        return precision;
    }

    /** The precision of the vision graph's weights and activations. */
    public Precision visionPrecision() {
        return this == BF16 ? Precision.FP32 : precision;
    }

    public boolean quantised() {
        return this == INT4;
    }
}
