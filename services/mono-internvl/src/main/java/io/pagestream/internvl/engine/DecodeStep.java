package io.pagestream.internvl.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One decode step over slots 0..b−1, the hot path: every input and output is a tensor made once per batch size
 * over preallocated buffers (token ids, embeddings, visual mask, seqlens, logits, and the KV views), so a step only
 * writes a few integers and runs the embedding and decoder graphs. Outputs are pinned, so ORT allocates none.
 *
 * <p>Slots between active ones that are idle still take a row: it decodes a pad token at position 0 of its own
 * (unused) slot, which is cheap next to the weight reads every row shares, and spares moving caches around to keep
 * the active rows contiguous.
 */
final class DecodeStep implements AutoCloseable {
    private static final long PAD_TOKEN = 0;

    private final OrtSession embedding;
    private final OrtSession decoder;
    private final int vocab;
    private final LongBuffer ids;
    private final IntBuffer seqlens;
    private final IntBuffer total;
    private final FloatBuffer logits;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> embedInputs = new ArrayList<>();
    private final List<Map<String, OnnxValue>> embedOutputs = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> decoderInputs = new ArrayList<>();
    private final List<Map<String, OnnxValue>> decoderOutputs = new ArrayList<>();
    private int longest;

    DecodeStep(OnnxModel model, KvCache kv, NativeMemory memory) throws OrtException {
        this.embedding = model.embedding;
        this.decoder = model.decoder;
        OrtEnvironment env = model.env;
        int slots = kv.slots();
        int hidden = model.info.hidden();
        vocab = model.info.vocab();
        ids = memory.allocate(8L * slots).asLongBuffer();
        seqlens = memory.allocate(4L * slots).asIntBuffer();
        total = memory.allocate(4).asIntBuffer();
        logits = memory.allocate(4L * slots * vocab).asFloatBuffer();
        FloatBuffer embeds = memory.allocate(4L * slots * hidden).asFloatBuffer();
        ByteBuffer mask = memory.allocate(slots);
        try {
            OnnxTensor totalTensor = keep(OnnxTensor.createTensor(env, total, new long[0]));
            OnnxTensor noImageRows =
                    keep(OnnxTensor.createTensor(env, FloatBuffer.allocate(0), new long[] {0, hidden}));
            for (int b = 1; b <= slots; b++) {
                OnnxTensor idTensor = keep(OnnxTensor.createTensor(env, ids.slice(0, b), new long[] {b, 1}));
                OnnxTensor embedTensor =
                        keep(OnnxTensor.createTensor(env, embeds.slice(0, b * hidden), new long[] {b, 1, hidden}));
                OnnxTensor maskTensor =
                        keep(OnnxTensor.createTensor(env, mask.slice(0, b), new long[] {b, 1}, OnnxJavaType.BOOL));
                OnnxTensor seqlenTensor = keep(OnnxTensor.createTensor(env, seqlens.slice(0, b), new long[] {b}));
                OnnxTensor logitTensor =
                        keep(OnnxTensor.createTensor(env, logits.slice(0, b * vocab), new long[] {b, 1, vocab}));
                embedInputs.add(Map.of(EmbeddingGraph.INPUT_IDS, idTensor, EmbeddingGraph.IMAGE_ROWS, noImageRows));
                embedOutputs.add(
                        Map.of(EmbeddingGraph.INPUTS_EMBEDS, embedTensor, EmbeddingGraph.VISUAL_MASK, maskTensor));
                Map<String, OnnxTensor> inputs = new HashMap<>(kv.batchPast(b));
                inputs.put(DecoderGraph.INPUTS_EMBEDS, embedTensor);
                inputs.put(DecoderGraph.VISUAL_MASK, maskTensor);
                inputs.put(DecoderGraph.SEQLENS_K, seqlenTensor);
                inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, totalTensor);
                decoderInputs.add(Map.copyOf(inputs));
                Map<String, OnnxValue> outputs = new HashMap<>(kv.batchPresent(b));
                outputs.put(DecoderGraph.LOGITS, logitTensor);
                decoderOutputs.add(Map.copyOf(outputs));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private OnnxTensor keep(OnnxTensor tensor) {
        tensors.add(tensor);
        return tensor;
    }

    /** Starts a step: rows not set afterwards decode a pad token at position 0. */
    void clear(int batch) {
        longest = 0;
        for (int row = 0; row < batch; row++) {
            ids.put(row, PAD_TOKEN);
            seqlens.put(row, 0);
        }
    }

    /** Row {@code row} feeds {@code token} at {@code position}, the number of tokens already in its cache. */
    void set(int row, int token, int position) {
        ids.put(row, token);
        seqlens.put(row, position);
        longest = Math.max(longest, position);
    }

    /** Runs rows 0..batch−1; their logits are then at {@link #logits()}, row r from {@code r · vocab}. */
    void run(int batch) throws OrtException {
        total.put(0, longest + 1);
        embedding
                .run(embedInputs.get(batch - 1), Set.of(), embedOutputs.get(batch - 1))
                .close();
        decoder.run(decoderInputs.get(batch - 1), Set.of(), decoderOutputs.get(batch - 1))
                .close();
    }

    FloatBuffer logits() {
        return logits;
    }

    @Override
    public void close() {
        tensors.forEach(OnnxTensor::close);
        tensors.clear();
    }
}
