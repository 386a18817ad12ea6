/**
 * Mono-InternVL as ONNX graphs for ONNX Runtime, built from the checkpoint with a thin builder over the ONNX protos.
 *
 * <p>Three graphs, each a {@code model.onnx} with its weights in a {@code model.onnx.data} at 4096-aligned offsets
 * (so ORT can memory-map them):
 * <ul>
 *   <li>{@link io.pagestream.internvl.onnx.EmbeddingGraph}: {@code input_ids} + {@code image_rows} →
 *   {@code inputs_embeds} + {@code visual_mask}. The image-row merge is a graph rather than Java so that the engine
 *   hands tensors from graph to graph without per-token loops.</li>
 *   <li>{@link io.pagestream.internvl.onnx.VisionGraph}: {@code pixel_values} → {@code projector_rows}.</li>
 *   <li>{@link io.pagestream.internvl.onnx.DecoderGraph}: embeddings, mask, {@code seqlens_k},
 *   {@code total_sequence_length} and past KV → logits and present KV. Works with a growing cache (present fed back
 *   as past) and with a shared [B, KV, capacity, D] buffer whose present outputs are pinned to the past tensors.</li>
 * </ul>
 *
 * <p>Rotary tables cover max_position_embeddings positions with the plain θ. HF's dynamic NTK only changes θ for
 * sequences longer than that, so the engine must refuse longer sequences (the conversion manifest records the
 * limit); supporting them would need a second, rescaled table per length, which is not built.
 *
 * <p>Weights are transformed on their way out of the memory-mapped checkpoint ({@link io.pagestream.internvl.onnx
 * .Matrix}): Linear weights transposed for MatMul, wqkv rows reordered for GroupQueryAttention's packed input
 * ({@link io.pagestream.internvl.onnx.QkvLayout}), the position embedding resampled when the tile size differs, 4-bit
 * blocks quantised for {@link io.pagestream.internvl.onnx.TargetDtype#INT4}. Memory is bounded by one band of one tensor.
 */
package io.pagestream.internvl.onnx;
