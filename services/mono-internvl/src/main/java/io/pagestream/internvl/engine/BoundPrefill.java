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

/**
 * Prefills part of one prompt into its slot at batch 1 through the full decoder graph (a chunk may hold image
 * tokens, which the visual experts take): tokens {@code from..to−1} on top of the {@code from} positions already
 * cached there. Image rows (from {@link BoundVision}) and embeddings stay on the device; ids come from the host, the
 * last position's logits go back to it. Batch 1 because GroupQueryAttention accepts a multi-token chunk on an
 * existing cache only at batch 1.
 *
 * <p>The chunk's shapes change with every call, so its views (ids, rows, embeddings, mask) are made per call and
 * rebound; everything else is bound once per slot.
 */
final class BoundPrefill implements AutoCloseable {
    private final DeviceKvCache kv;
    private final Device host;
    private final int hidden;
    private final int imageContextId;
    private final MemorySegment ids;
    private final DeviceBuffer rows;
    private final MemorySegment seqlens;
    private final MemorySegment total;
    private final FloatBuffer logits;
    private final DeviceBuffer embeds;
    private final DeviceBuffer mask;
    private final NativeTensor seqlensTensor;
    private final NativeTensor totalTensor;
    private final NativeTensor logitTensor;
    private final IoBinding embed;
    private final IoBinding decoder;
    private int boundSlot = -1;

    BoundPrefill(
            OnnxModel model,
            DeviceKvCache kv,
            DeviceAllocator allocator,
            Device host,
            NativeMemory memory,
            DeviceBuffer rows,
            int imageContextId)
            throws OrtException {
        this.kv = kv;
        this.host = host;
        this.hidden = model.info.hidden();
        this.imageContextId = imageContextId;
        this.rows = rows;
        int vocab = model.info.vocab();
        ids = memory.segment(8L * kv.capacity());
        seqlens = memory.segment(4);
        total = memory.segment(4);
        MemorySegment logitMemory = memory.segment(4L * vocab);
        logits = logitMemory.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        DeviceBuffer embedMemory = null;
        DeviceBuffer maskMemory = null;
        NativeTensor seqlensView = null;
        NativeTensor totalView = null;
        NativeTensor logitView = null;
        IoBinding embedBinding = null;
        IoBinding decoderBinding = null;
        try {
            embedMemory = allocator.allocate(4L * kv.capacity() * hidden);
            maskMemory = allocator.allocate(kv.capacity());
            seqlensView = NativeTensor.host(host, seqlens, ElementType.INT32, 1);
            totalView = NativeTensor.host(host, total, ElementType.INT32);
            logitView = NativeTensor.host(host, logitMemory, ElementType.FLOAT, 1, 1, vocab);
            embedBinding = IoBinding.of(model.embedding);
            decoderBinding = IoBinding.of(model.decoder);
            decoderBinding.bindInput(DecoderGraph.SEQLENS_K, seqlensView);
            decoderBinding.bindInput(DecoderGraph.TOTAL_SEQUENCE_LENGTH, totalView);
            decoderBinding.bindOutput(DecoderGraph.LOGITS, logitView);
        } catch (OrtException | RuntimeException e) {
            for (AutoCloseable resource : new AutoCloseable[] {
                decoderBinding, embedBinding, logitView, totalView, seqlensView, maskMemory, embedMemory
            }) {
                closeQuietly(resource);
            }
            throw e;
        }
        embeds = embedMemory;
        mask = maskMemory;
        seqlensTensor = seqlensView;
        totalTensor = totalView;
        logitTensor = logitView;
        embed = embedBinding;
        decoder = decoderBinding;
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // Already failing; the first error is the one worth reporting.
        }
    }

    FloatBuffer run(int slot, int[] prompt, int from, int to) throws OrtException {
        int length = to - from;
        int rowFrom = PrefillStep.imageRows(prompt, 0, from, imageContextId);
        int rowTo = rowFrom + PrefillStep.imageRows(prompt, from, to, imageContextId);
        for (int i = 0; i < length; i++) {
            ids.setAtIndex(JAVA_LONG, i, prompt[from + i]);
        }
        seqlens.set(JAVA_INT, 0, to - 1);
        total.set(JAVA_INT, 0, to);
        if (slot != boundSlot) {
            kv.bindSlot(decoder, slot);
            boundSlot = slot;
        }
        long rowBytes = 4L * hidden;
        try (NativeTensor idTensor = NativeTensor.host(host, ids, ElementType.INT64, 1, length);
                NativeTensor rowTensor = rows.tensor(rowFrom * rowBytes, ElementType.FLOAT, rowTo - rowFrom, hidden);
                NativeTensor embedTensor = embeds.tensor(0, ElementType.FLOAT, 1, length, hidden);
                NativeTensor maskTensor = mask.tensor(0, ElementType.BOOL, 1, length)) {
            embed.bindInput(EmbeddingGraph.INPUT_IDS, idTensor);
            embed.bindInput(EmbeddingGraph.IMAGE_ROWS, rowTensor);
            embed.bindOutput(EmbeddingGraph.INPUTS_EMBEDS, embedTensor);
            embed.bindOutput(EmbeddingGraph.VISUAL_MASK, maskTensor);
            decoder.bindInput(DecoderGraph.INPUTS_EMBEDS, embedTensor);
            decoder.bindInput(DecoderGraph.VISUAL_MASK, maskTensor);
            embed.run();
            decoder.run();
        }
        return logits;
    }

    @Override
    public void close() {
        embed.close();
        decoder.close();
        seqlensTensor.close();
        totalTensor.close();
        logitTensor.close();
        embeds.close();
        mask.close();
    }
}
