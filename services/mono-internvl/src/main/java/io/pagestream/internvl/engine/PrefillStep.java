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
 * compute-bound anyway, so nothing is lost by not batching prompts.
 *
 * <p>Token ids, image rows, seqlens and the logits live in preallocated buffers; a chunk only makes tensor views
 * over them (no data copied by the Java API) and lets ORT's arena hold the embedding output.
 */
final class PrefillStep implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession embedding;
    private final OrtSession decoder;
    private final KvCache kv;
    private final int hidden;
    private final int imageContextId;
    private final LongBuffer ids;
    private final FloatBuffer rows;
    private final IntBuffer seqlens;
    private final IntBuffer total;
    private final FloatBuffer logits;
    private final OnnxTensor seqlensTensor;
    private final OnnxTensor totalTensor;
    private final OnnxTensor logitTensor;

    PrefillStep(OnnxModel model, KvCache kv, NativeMemory memory, FloatBuffer rows, int imageContextId)
            throws OrtException {
        this.env = model.env;
        this.embedding = model.embedding;
        this.decoder = model.decoder;
        this.kv = kv;
        this.hidden = model.info.hidden();
        this.imageContextId = imageContextId;
        this.rows = rows;
        int vocab = model.info.vocab();
        ids = memory.allocate(8L * kv.capacity()).asLongBuffer();
        seqlens = memory.allocate(4).asIntBuffer();
        total = memory.allocate(4).asIntBuffer();
        logits = memory.allocate(4L * vocab).asFloatBuffer();
        seqlensTensor = OnnxTensor.createTensor(env, seqlens, new long[] {1});
        totalTensor = OnnxTensor.createTensor(env, total, new long[0]);
        logitTensor = OnnxTensor.createTensor(env, logits, new long[] {1, 1, vocab});
    }

    /**
     * @param prompt the prompt's ids; its {@code <IMG_CONTEXT>} tokens take the rows of the row buffer in order
     * @return the logits after token {@code to − 1}, valid until the next call
     */
    FloatBuffer run(int slot, int[] prompt, int from, int to) throws OrtException {
        int length = to - from;
        int rowFrom = imageRows(prompt, 0, from, imageContextId);
        int rowTo = rowFrom + imageRows(prompt, from, to, imageContextId);
        for (int i = 0; i < length; i++) {
            ids.put(i, prompt[from + i]);
        }
        seqlens.put(0, to - 1);
        total.put(0, to);
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids.slice(0, length), new long[] {1, length});
                OnnxTensor rowTensor = OnnxTensor.createTensor(
                        env,
                        rows.slice(rowFrom * hidden, (rowTo - rowFrom) * hidden),
                        new long[] {rowTo - rowFrom, hidden});
                OrtSession.Result embedded = embedding.run(
                        Map.of(EmbeddingGraph.INPUT_IDS, idTensor, EmbeddingGraph.IMAGE_ROWS, rowTensor))) {
            Map<String, OnnxTensor> inputs = new HashMap<>(kv.slotPast(slot));
            inputs.put(DecoderGraph.INPUTS_EMBEDS, (OnnxTensor)
                    embedded.get(EmbeddingGraph.INPUTS_EMBEDS).orElseThrow());
            inputs.put(DecoderGraph.VISUAL_MASK, (OnnxTensor)
                    embedded.get(EmbeddingGraph.VISUAL_MASK).orElseThrow());
            inputs.put(DecoderGraph.SEQLENS_K, seqlensTensor);
            inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, totalTensor);
            Map<String, OnnxValue> outputs = new HashMap<>(kv.slotPresent(slot));
            outputs.put(DecoderGraph.LOGITS, logitTensor);
            decoder.run(inputs, Set.of(), outputs).close();
        }
        return logits;
    }

    /** How many of tokens {@code from..to−1} are {@code <IMG_CONTEXT>}: each takes the next image row. */
    static int imageRows(int[] prompt, int from, int to, int imageContextId) {
        int rows = 0;
        for (int i = from; i < to; i++) {
            rows += prompt[i] == imageContextId ? 1 : 0;
        }
        return rows;
    }

    @Override
    public void close() {
        seqlensTensor.close();
        totalTensor.close();
        logitTensor.close();
    }
}
