package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.Precision;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The KV cache's views share one buffer per layer and side, and a prefix copy moves exactly its positions. */
class KvCacheTest {
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 4;
    private static final int CAPACITY = 5;
    private static final ModelInfo MODEL =
            new ModelInfo("FP32", Precision.FP32, 2, 8, KV_HEADS, HEAD_DIM, 10, 4, 28, 64, ExecutionProvider.CPU);

    @Test
    void viewsAndPrefixCopy() throws Exception {
        try (NativeMemory memory = NativeMemory.open();
                KvCache kv = new KvCache(OrtEnvironment.getEnvironment(), memory, MODEL, 3, CAPACITY)) {
            assertEquals(2L * 2 * 3 * KV_HEADS * CAPACITY * HEAD_DIM * 4, kv.bytes());
            OnnxTensor batch = kv.batchPast(2).get(DecoderGraph.pastValue(1));
            assertArrayEquals(
                    new long[] {2, KV_HEADS, CAPACITY, HEAD_DIM},
                    batch.getInfo().getShape());
            assertTrue(
                    kv.slotPresent(1).get(DecoderGraph.presentValue(1))
                            == kv.slotPast(1).get(DecoderGraph.pastValue(1)),
                    "past and present of a slot are one tensor");

            FloatBuffer source = floats(kv.slotPast(0).get(DecoderGraph.pastKey(1)));
            for (int i = 0; i < source.capacity(); i++) {
                source.put(i, i + 1);
            }
            kv.copyPrefix(0, 2, 3);
            FloatBuffer target = floats(kv.slotPast(2).get(DecoderGraph.pastKey(1)));
            FloatBuffer viaBatch = floats(kv.batchPast(3).get(DecoderGraph.pastKey(1)));
            for (int h = 0; h < KV_HEADS; h++) {
                for (int p = 0; p < CAPACITY; p++) {
                    for (int d = 0; d < HEAD_DIM; d++) {
                        int i = (h * CAPACITY + p) * HEAD_DIM + d;
                        assertEquals(p < 3 ? i + 1 : 0, target.get(i), "head " + h + " position " + p);
                        assertEquals(target.get(i), viaBatch.get(2 * KV_HEADS * CAPACITY * HEAD_DIM + i));
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> kv.copyPrefix(0, 1, CAPACITY + 1));
        }
    }

    @Test
    void nativeMemoryIsGoneAfterClose() {
        NativeMemory memory = NativeMemory.open();
        ByteBuffer buffer = memory.allocate(1 << 20);
        buffer.putLong(0, 42);
        memory.close();
        assertThrows(IllegalStateException.class, () -> buffer.getLong(0));
    }

    private static FloatBuffer floats(OnnxTensor tensor) {
        return ((ByteBuffer) tensor.getBufferRef().orElseThrow()).asFloatBuffer();
    }
}
