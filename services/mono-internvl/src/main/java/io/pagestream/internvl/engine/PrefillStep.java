package io.pagestream.internvl.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prefills part of one prompt into its slot at batch 1: tokens {@code from..to−1} on top of the {@code from}
 * positions already cached there (0 for a whole prompt, the shared prefix's length for a page's suffixes).
 * GroupQueryAttention accepts a multi-token chunk on an existing cache only at batch 1, and a prefill is
 * compute-bound anyway, so nothing is lost by not batching prompts. Its small per-call tensors are not the hot path.
 */
final class PrefillStep implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession embedding;
    private final OrtSession decoder;
    private final KvCache kv;
    private final int hidden;
    private final int imageContextId;
    private final FloatBuffer logits;
    private final OnnxTensor logitTensor;

    PrefillStep(ModelSessions model, KvCache kv, NativeMemory memory, int imageContextId) throws OrtException {
        this.env = model.env;
        this.embedding = model.embedding;
        this.decoder = model.decoder;
        this.kv = kv;
        this.hidden = model.info.hidden();
        this.imageContextId = imageContextId;
        int vocab = model.info.vocab();
        logits = memory.allocate(4L * vocab).asFloatBuffer();
        logitTensor = OnnxTensor.createTensor(env, logits, new long[] {1, 1, vocab});
    }

    /**
     * @param imageRows the page's projector rows, [rows · hidden], matched in order to the prompt's
     *                  {@code <IMG_CONTEXT>} tokens
     * @return the logits after token {@code to − 1}, valid until the next call
     */
    FloatBuffer run(int slot, int[] ids, int from, int to, float[] imageRows) throws OrtException {
        int length = to - from;
        long[] chunk = new long[length];
        int rowFrom = 0;
        for (int i = 0; i < from; i++) {
            rowFrom += ids[i] == imageContextId ? 1 : 0;
        }
        int rowTo = rowFrom;
        for (int i = 0; i < length; i++) {
            chunk[i] = ids[from + i];
            rowTo += chunk[i] == imageContextId ? 1 : 0;
        }
        if (rowTo * hidden > imageRows.length) {
            throw new IllegalStateException("the prompt holds more image tokens than its images have rows");
        }
        FloatBuffer rows = FloatBuffer.wrap(imageRows, rowFrom * hidden, (rowTo - rowFrom) * hidden).slice();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(chunk), new long[] {1, length});
                OnnxTensor rowTensor = OnnxTensor.createTensor(env, rows, new long[] {rowTo - rowFrom, hidden});
                OrtSession.Result embedded = embedding.run(Map.of(EmbeddingGraph.INPUT_IDS, idTensor,
                        EmbeddingGraph.IMAGE_ROWS, rowTensor));
                OnnxTensor seqlens = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[] {to - 1}),
                        new long[] {1});
                OnnxTensor total = OnnxTensor.createTensor(env, to)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(kv.slotPast(slot));
            inputs.put(DecoderGraph.INPUTS_EMBEDS, (OnnxTensor) embedded.get(EmbeddingGraph.INPUTS_EMBEDS)
                    .orElseThrow());
            inputs.put(DecoderGraph.VISUAL_MASK, (OnnxTensor) embedded.get(EmbeddingGraph.VISUAL_MASK)
                    .orElseThrow());
            inputs.put(DecoderGraph.SEQLENS_K, seqlens);
            inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, total);
            Map<String, OnnxValue> outputs = new HashMap<>(kv.slotPresent(slot));
            outputs.put(DecoderGraph.LOGITS, logitTensor);
            decoder.run(inputs, Set.of(), outputs).close();
        }
        return logits;
    }

    @Override
    public void close() {
        logitTensor.close();
    }
}
