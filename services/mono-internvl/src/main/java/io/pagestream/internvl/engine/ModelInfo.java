package io.pagestream.internvl.engine;

import ai.onnxruntime.OnnxJavaType;
import io.pagestream.internvl.onnx.Precision;

/**
 * What the engine knows of its model: sizes from the checkpoint's config, precision and limits from the conversion.
 *
 * @param dtype         the conversion dtype (FP32, INT4, FP16, BF16)
 * @param precision     the decoder's activation and KV cache type
 * @param tokensPerTile visual tokens per image tile
 * @param tileSize      tile edge in pixels
 * @param maxPositions  longest sequence the rotary tables cover ({@code conversion.json}'s maxPositions)
 * @param provider      where the graphs run
 */
public record ModelInfo(
        String dtype,
        Precision precision,
        int layers,
        int hidden,
        int kvHeads,
        int headDim,
        int vocab,
        int tokensPerTile,
        int tileSize,
        int maxPositions,
        ExecutionProvider provider) {

    int kvElementBytes() {
        return precision.byteSize();
    }

    OnnxJavaType kvType() {
        return switch (precision) {
            case FP32 -> OnnxJavaType.FLOAT;
            case FP16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
        };
    }

    /** KV cache bytes per token: keys and values of every layer. */
    public long kvBytesPerToken() {
        return EngineConfig.kvBytesPerToken(layers, kvHeads, headDim, kvElementBytes());
    }
}
