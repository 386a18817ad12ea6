package io.pagestream.internvl.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.pagestream.internvl.onnx.DecoderGraph;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The preallocated KV cache: per layer, one keys and one values buffer laid out [slots, kvHeads, capacity, headDim],
 * the shape GroupQueryAttention reads as past and, pinned as the present output, writes in place.
 *
 * <p>Every tensor a step needs is made once here, as a view without copy: slot s alone ([1, …], for prefill chunks,
 * which GQA only accepts at batch 1 on top of a cache) and the first b slots together ([b, …], for decode steps).
 * The slots being a prefix of the buffer is why decode runs over slots 0..b−1 with idle ones in between (see
 * {@link DecodeStep}).
 */
final class KvCache implements AutoCloseable {
    private final int slots;
    private final int capacity;
    private final int kvHeads;
    private final int headDim;
    private final int rowBytes;
    private final long slotBytes;
    private final ByteBuffer[] buffers;
    private final List<OnnxTensor> tensors = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> slotPast = new ArrayList<>();
    private final List<Map<String, OnnxValue>> slotPresent = new ArrayList<>();
    private final List<Map<String, OnnxTensor>> batchPast = new ArrayList<>();
    private final List<Map<String, OnnxValue>> batchPresent = new ArrayList<>();

    KvCache(OrtEnvironment env, NativeMemory memory, ModelInfo model, int slots, int capacity) throws OrtException {
        this.slots = slots;
        this.capacity = capacity;
        this.kvHeads = model.kvHeads();
        this.headDim = model.headDim();
        this.rowBytes = model.headDim() * model.kvElementBytes();
        this.slotBytes = (long) kvHeads * capacity * rowBytes;
        int layers = model.layers();
        long bufferBytes = slotBytes * slots;
        if (bufferBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a KV buffer of " + slots + " slots × " + capacity + " positions is "
                    + bufferBytes + " bytes per layer, above the 2 GiB one buffer can hold: lower maxBatch or "
                    + "kvTokenBudget");
        }
        buffers = new ByteBuffer[2 * layers];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = memory.allocate(bufferBytes);
        }
        OnnxJavaType type = model.kvType();
        try {
            for (int s = 0; s < slots; s++) {
                slotPast.add(new HashMap<>());
                slotPresent.add(new HashMap<>());
                batchPast.add(new HashMap<>());
                batchPresent.add(new HashMap<>());
                for (int n = 0; n < layers; n++) {
                    for (int side = 0; side < 2; side++) {
                        ByteBuffer buffer = buffers[2 * n + side];
                        String past = side == 0 ? DecoderGraph.pastKey(n) : DecoderGraph.pastValue(n);
                        String present = side == 0 ? DecoderGraph.presentKey(n) : DecoderGraph.presentValue(n);
                        OnnxTensor one = view(env, buffer, s, 1, type);
                        slotPast.get(s).put(past, one);
                        slotPresent.get(s).put(present, one);
                        OnnxTensor first = view(env, buffer, 0, s + 1, type);
                        batchPast.get(s).put(past, first);
                        batchPresent.get(s).put(present, first);
                    }
                }
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private OnnxTensor view(OrtEnvironment env, ByteBuffer buffer, int firstSlot, int count, OnnxJavaType type)
            throws OrtException {
        ByteBuffer slice = buffer.slice((int) (firstSlot * slotBytes), (int) (count * slotBytes))
                .order(buffer.order());
        OnnxTensor tensor = OnnxTensor.createTensor(env, slice, new long[] {count, kvHeads, capacity, headDim}, type);
        tensors.add(tensor);
        return tensor;
    }

    int slots() {
        return slots;
    }

    int capacity() {
        return capacity;
    }

    long bytes() {
        return slotBytes * slots * buffers.length;
    }

    /** Past inputs of slot {@code slot} alone, [1, kvHeads, capacity, headDim] per layer and side. */
    Map<String, OnnxTensor> slotPast(int slot) {
        return slotPast.get(slot);
    }

    /** The same tensors keyed by present output names, to pin them. */
    Map<String, OnnxValue> slotPresent(int slot) {
        return slotPresent.get(slot);
    }

    /** Past inputs of slots 0..count−1. */
    Map<String, OnnxTensor> batchPast(int count) {
        return batchPast.get(count - 1);
    }

    Map<String, OnnxValue> batchPresent(int count) {
        return batchPresent.get(count - 1);
    }

    /** Copies the first {@code length} positions of every layer, side and KV head from one slot to another. */
    void copyPrefix(int from, int to, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("prefix of " + length + " exceeds the slot capacity " + capacity);
        }
        int bytes = length * rowBytes;
        long headBytes = (long) capacity * rowBytes;
        for (ByteBuffer buffer : buffers) {
            for (int h = 0; h < kvHeads; h++) {
                int source = (int) (from * slotBytes + h * headBytes);
                int target = (int) (to * slotBytes + h * headBytes);
                buffer.put(target, buffer, source, bytes);
            }
        }
    }

    /** Closes the tensor views; the buffers themselves belong to the {@link NativeMemory} they came from. */
    @Override
    public void close() {
        tensors.forEach(OnnxTensor::close);
        tensors.clear();
    }
}
