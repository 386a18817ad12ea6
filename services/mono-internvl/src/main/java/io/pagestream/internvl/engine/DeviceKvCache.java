package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.ort.DeviceAllocator;
import io.pagestream.internvl.ort.DeviceBuffer;
import io.pagestream.internvl.ort.ElementType;
import io.pagestream.internvl.ort.IoBinding;
import io.pagestream.internvl.ort.NativeTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The KV cache on the decoder session's device: per layer and side one block [slots, kvHeads, capacity, headDim],
 * with tensor views made once for slot s alone (prefill) and slots 0..b−1 together (decode). Each view is bound as
 * both {@code past_key_values.*} and {@code present.*}, so GroupQueryAttention writes new keys and values in place
 * (its shared-buffer mode) and the cache never leaves the device.
 */
final class DeviceKvCache implements AutoCloseable {
    private final int slots;
    private final int capacity;
    private final int kvHeads;
    private final long rowBytes;
    private final long slotBytes;
    private final int layers;
    private final List<DeviceBuffer> buffers = new ArrayList<>();
    private final NativeTensor[][] slotViews;
    private final NativeTensor[][] batchViews;

    DeviceKvCache(DeviceAllocator allocator, ModelInfo model, int slots, int capacity) throws OrtException {
        this.slots = slots;
        this.capacity = capacity;
        this.kvHeads = model.kvHeads();
        this.layers = model.layers();
        this.rowBytes = (long) model.headDim() * model.kvElementBytes();
        this.slotBytes = kvHeads * capacity * rowBytes;
        this.slotViews = new NativeTensor[slots][2 * layers];
        this.batchViews = new NativeTensor[slots][2 * layers];
        ElementType type = elementType(model);
        try {
            for (int i = 0; i < 2 * layers; i++) {
                DeviceBuffer buffer = allocator.allocate(slotBytes * slots);
                buffers.add(buffer);
                for (int s = 0; s < slots; s++) {
                    slotViews[s][i] = buffer.tensor(s * slotBytes, type, 1, kvHeads, capacity, model.headDim());
                    batchViews[s][i] = buffer.tensor(0, type, s + 1, kvHeads, capacity, model.headDim());
                }
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static ElementType elementType(ModelInfo model) {
        return switch (model.precision()) {
            case FP32 -> ElementType.FLOAT;
            case FP16 -> ElementType.FLOAT16;
            case BF16 -> ElementType.BFLOAT16;
        };
    }

    int slots() {
        return slots;
    }

    int capacity() {
        return capacity;
    }

    long bytes() {
        return slotBytes * slots * 2 * layers;
    }

    /** Binds slot {@code slot} alone as every layer's past and present. */
    void bindSlot(IoBinding binding, int slot) throws OrtException {
        bind(binding, slotViews[slot]);
    }

    /** Binds slots 0..count−1 as every layer's past and present. */
    void bindBatch(IoBinding binding, int count) throws OrtException {
        bind(binding, batchViews[count - 1]);
    }

    private void bind(IoBinding binding, NativeTensor[] views) throws OrtException {
        for (int n = 0; n < layers; n++) {
            binding.bindInput(DecoderGraph.pastKey(n), views[2 * n]);
            binding.bindOutput(DecoderGraph.presentKey(n), views[2 * n]);
            binding.bindInput(DecoderGraph.pastValue(n), views[2 * n + 1]);
            binding.bindOutput(DecoderGraph.presentValue(n), views[2 * n + 1]);
        }
    }

    /** Copies the first {@code length} positions of every layer, side and KV head from one slot to another. */
    void copyPrefix(int from, int to, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("prefix of " + length + " exceeds the slot capacity " + capacity);
        }
        if (from == to || length == 0) {
            return;
        }
        long headBytes = capacity * rowBytes;
        for (DeviceBuffer buffer : buffers) {
            buffer.copyRows(from * slotBytes, to * slotBytes, length * rowBytes, headBytes, kvHeads);
        }
    }

    @Override
    public void close() {
        for (NativeTensor[] views : slotViews) {
            closeAll(views);
        }
        for (NativeTensor[] views : batchViews) {
            closeAll(views);
        }
        buffers.forEach(DeviceBuffer::close);
        buffers.clear();
    }

    private static void closeAll(NativeTensor[] tensors) {
        for (NativeTensor tensor : tensors) {
            if (tensor != null) {
                tensor.close();
            }
        }
    }
}
