package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.ort.Device;
import io.pagestream.internvl.ort.DeviceAllocator;
import io.pagestream.internvl.ort.DeviceBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * {@link KvResidence#DEVICE}: the KV cache, the image rows and the embeddings on the sessions' device, bound through
 * ORT's C API; see {@link BoundVision}, {@link BoundPrefill} and {@link BoundDecode}.
 */
final class BoundSteps implements ModelSteps {
    private final Device host;
    private final Device device;
    private final DeviceAllocator allocator;
    private final DeviceKvCache kv;
    private final BoundDecode decode;
    private final BoundPrefill prefill;
    private final BoundVision vision;

    private BoundSteps(
            Device host,
            Device device,
            DeviceAllocator allocator,
            DeviceKvCache kv,
            BoundDecode decode,
            BoundPrefill prefill,
            BoundVision vision) {
        this.host = host;
        this.device = device;
        this.allocator = allocator;
        this.kv = kv;
        this.decode = decode;
        this.prefill = prefill;
        this.vision = vision;
    }

    static BoundSteps open(
            OnnxModel model, NativeMemory memory, int slots, int capacity, MemorySegment pixels, int imageContextId)
            throws OrtException {
        Device host = Device.cpu();
        Device device = null;
        DeviceAllocator allocator = null;
        DeviceKvCache kv = null;
        BoundDecode decode = null;
        BoundPrefill prefill = null;
        try {
            device = model.info.provider() == ExecutionProvider.CUDA ? Device.cuda(model.cudaDevice) : Device.cpu();
            // The decode graph's allocator: it is the session that reads the cache every step.
            allocator = DeviceAllocator.of(model.decode, device);
            kv = new DeviceKvCache(allocator, model.info, slots, capacity);
            decode = new BoundDecode(model, kv, allocator, host, memory);
            DeviceBuffer rows = allocator.allocate(4L * capacity * model.info.hidden());
            prefill = new BoundPrefill(model, kv, allocator, host, memory, rows, imageContextId);
            BoundVision vision = new BoundVision(model, host, pixels, rows);
            return new BoundSteps(host, device, allocator, kv, decode, prefill, vision);
        } catch (OrtException | RuntimeException e) {
            if (prefill != null) {
                prefill.close();
            }
            if (decode != null) {
                decode.close();
            }
            if (kv != null) {
                kv.close();
            }
            if (allocator != null) {
                allocator.close();
            }
            if (device != null) {
                device.close();
            }
            host.close();
            throw e;
        }
    }

    @Override
    public void encode(List<PixelTiles> images) throws OrtException {
        vision.encode(images);
    }

    @Override
    public FloatBuffer prefill(int slot, int[] prompt, int from, int to) throws OrtException {
        return prefill.run(slot, prompt, from, to);
    }

    @Override
    public void copyPrefix(int from, int to, int length) {
        kv.copyPrefix(from, to, length);
    }

    @Override
    public void clear(int batch) {
        decode.clear(batch);
    }

    @Override
    public void set(int row, int token, int position) {
        decode.set(row, token, position);
    }

    @Override
    public void decode(int batch) throws OrtException {
        decode.run(batch);
    }

    @Override
    public FloatBuffer logits() {
        return decode.logits();
    }

    @Override
    public long kvBytes() {
        return kv.bytes();
    }

    @Override
    public long stagedBytesPerStep(int batch) {
        return decode.stagedBytes(batch);
    }

    @Override
    public void close() {
        vision.close();
        prefill.close();
        decode.close();
        kv.close();
        allocator.close();
        device.close();
        host.close();
    }
}
