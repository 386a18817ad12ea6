package io.pagestream.internvl.onnx;

/**
 * What a conversion stores and computes in. {@code INT4} quantises the decoder's big linear layers to 4 bits
 * ({@code MatMulNBits}) and keeps everything else, activations included, in float32: that is the combination the
 * CPU execution provider runs. {@code FP16} and {@code BF16} store weights and run activations in that type; they
 * target the CUDA execution provider.
 */
public enum Dtype {
    FP32(Precision.FP32),
    FP16(Precision.FP16),
    BF16(Precision.BF16),
    INT4(Precision.FP32);

    private final Precision precision;

    Dtype(Precision precision) {
        this.precision = precision;
    }

    /** The element type of activations and of every weight that is not quantised. */
    public Precision precision() {
        return precision;
    }

    public boolean quantised() {
        return this == INT4;
    }
}
