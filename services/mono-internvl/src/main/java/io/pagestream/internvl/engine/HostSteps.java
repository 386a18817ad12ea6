package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.image.PixelTiles;
import java.nio.FloatBuffer;
import java.util.List;

/** {@link KvResidence#HOST}: the KV cache in Java buffers, every run through ORT's Java API. */
final class HostSteps implements ModelSteps {
    private final KvCache kv;
    private final DecodeStep decode;
    private final PrefillStep prefill;
    private final ImageEncoder encoder;
    private final ModelInfo info;

    private HostSteps(KvCache kv, DecodeStep decode, PrefillStep prefill, ImageEncoder encoder, ModelInfo info) {
        this.kv = kv;
        this.encoder = encoder;
        this.decode = decode;
        this.prefill = prefill;
        this.info = info;
    }

    static HostSteps open(
            OnnxModel model, NativeMemory memory, int slots, int capacity, FloatBuffer pixels, int imageContextId)
            throws OrtException {
        FloatBuffer rows = memory.allocate(4L * capacity * model.info.hidden()).asFloatBuffer();
        KvCache kv = new KvCache(model.env, memory, model.info, slots, capacity);
        DecodeStep decode = null;
        try {
            decode = new DecodeStep(model, kv, memory);
            return new HostSteps(
                    kv,
                    decode,
                    new PrefillStep(model, kv, memory, rows, imageContextId),
                    new ImageEncoder(model, pixels, rows),
                    model.info);
        } catch (OrtException | RuntimeException e) {
            if (decode != null) {
                decode.close();
            }
            kv.close();
            throw e;
        }
    }

    @Override
    public void encode(List<PixelTiles> images) throws OrtException {
        encoder.encode(images);
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

    /** Every input and output of both graphs, the KV views included: ORT's Java API hands it all over each run. */
    @Override
    public long stagedBytesPerStep(int batch) {
        long rows = batch;
        long kvView = kv.bytes() / kv.slots() * rows;
        return rows * (8 + 4L * info.hidden() * 2 + 1 * 2 + 4 + 4L * info.vocab()) + 4 + 2 * kvView;
    }

    @Override
    public void close() {
        decode.close();
        prefill.close();
        kv.close();
    }
}
