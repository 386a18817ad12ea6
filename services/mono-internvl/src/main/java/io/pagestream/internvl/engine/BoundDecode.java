package io.pagestream.internvl.engine;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import io.pagestream.internvl.ort.Device;
import io.pagestream.internvl.ort.DeviceAllocator;
import io.pagestream.internvl.ort.DeviceBuffer;
import io.pagestream.internvl.ort.ElementType;
import io.pagestream.internvl.ort.IoBinding;
import io.pagestream.internvl.ort.NativeTensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One decode step over slots 0..b−1 with everything bound once per batch size: the embedding graph turns the token
 * ids into embeddings on the device, the decode graph (no visual experts, no routing) reads them there together with
 * the device KV cache and writes logits to the host. A step writes a few integers into host memory and runs two
 * bindings; the only bytes that cross are ids, lengths and logits ({@link #stagedBytes}).
 *
 * <p>Idle slots between active ones decode a pad token at position 0 of their own unused slot, as in
 * {@link DecodeStep}.
 */
final class BoundDecode implements AutoCloseable {
    private static final long PAD_TOKEN = 0;

    private final MemorySegment ids;
    private final MemorySegment seqlens;
    private final MemorySegment total;
    private final FloatBuffer logits;
    private final List<NativeTensor> tensors = new ArrayList<>();
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final IoBinding[] embed;
    private final IoBinding[] decode;
    private int longest;

    BoundDecode(OnnxModel model, DeviceKvCache kv, DeviceAllocator allocator, Device host, NativeMemory memory)
            throws OrtException {
        int slots = kv.slots();
        int hidden = model.info.hidden();
        int vocab = model.info.vocab();
        ids = memory.segment(8L * slots);
        seqlens = memory.segment(4L * slots);
        total = memory.segment(4);
        MemorySegment logitMemory = memory.segment(4L * slots * vocab);
        logits = logitMemory.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        embed = new IoBinding[slots];
        decode = new IoBinding[slots];
        try {
            DeviceBuffer embeds = keep(allocator.allocate(4L * slots * hidden));
            DeviceBuffer mask = keep(allocator.allocate(slots));
            NativeTensor totalTensor = keep(NativeTensor.host(host, total, ElementType.INT32));
            NativeTensor noImageRows = keep(NativeTensor.host(host, total, ElementType.FLOAT, 0, hidden));
            for (int b = 1; b <= slots; b++) {
                NativeTensor embedTensor = keep(embeds.tensor(0, ElementType.FLOAT, b, 1, hidden));
                IoBinding e = embed[b - 1] = IoBinding.of(model.embedding);
                e.bindInput(EmbeddingGraph.INPUT_IDS, keep(NativeTensor.host(host, ids, ElementType.INT64, b, 1)));
                e.bindInput(EmbeddingGraph.IMAGE_ROWS, noImageRows);
                e.bindOutput(EmbeddingGraph.INPUTS_EMBEDS, embedTensor);
                e.bindOutput(EmbeddingGraph.VISUAL_MASK, keep(mask.tensor(0, ElementType.BOOL, b, 1)));
                IoBinding d = decode[b - 1] = IoBinding.of(model.decode);
                d.bindInput(DecoderGraph.INPUTS_EMBEDS, embedTensor);
                d.bindInput(DecoderGraph.SEQLENS_K, keep(NativeTensor.host(host, seqlens, ElementType.INT32, b)));
                d.bindInput(DecoderGraph.TOTAL_SEQUENCE_LENGTH, totalTensor);
                kv.bindBatch(d, b);
                d.bindOutput(
                        DecoderGraph.LOGITS,
                        keep(NativeTensor.host(host, logitMemory, ElementType.FLOAT, b, 1, vocab)));
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        if (resource instanceof NativeTensor tensor) {
            tensors.add(tensor);
        } else if (resource instanceof DeviceBuffer buffer) {
            buffers.add(buffer);
        }
        return resource;
    }

    void clear(int batch) {
        longest = 0;
        for (int row = 0; row < batch; row++) {
            ids.setAtIndex(JAVA_LONG, row, PAD_TOKEN);
            seqlens.setAtIndex(JAVA_INT, row, 0);
        }
    }

    void set(int row, int token, int position) {
        ids.setAtIndex(JAVA_LONG, row, token);
        seqlens.setAtIndex(JAVA_INT, row, position);
        longest = Math.max(longest, position);
    }

    void run(int batch) throws OrtException {
        total.set(JAVA_INT, 0, longest + 1);
        embed[batch - 1].run();
        decode[batch - 1].run();
    }

    FloatBuffer logits() {
        return logits;
    }

    /** Host bytes both bindings of a {@code batch}-row step read or write: ids, lengths, logits. */
    long stagedBytes(int batch) {
        return embed[batch - 1].stagedBytes() + decode[batch - 1].stagedBytes();
    }

    @Override
    public void close() {
        for (IoBinding[] bindings : new IoBinding[][] {embed, decode}) {
            for (IoBinding binding : bindings) {
                if (binding != null) {
                    binding.close();
                }
            }
        }
        tensors.forEach(NativeTensor::close);
        tensors.clear();
        buffers.forEach(DeviceBuffer::close);
        buffers.clear();
    }
}
