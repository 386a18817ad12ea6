package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generation setup the engine will use: one preallocated [1, KV, capacity, D] buffer per layer and cache side,
 * passed as past and pinned as the present output, so that ORT writes new keys and values in place and nothing is
 * copied between steps. Text prompt, prefill then decode steps, last-position logits, against the reference.
 */
class OnnxSharedCacheTest {
    private static final int CAPACITY = 64;

    @TempDir
    static Path dir;

    @Test
    void prefillAndDecodeInPlaceOnAPinnedBuffer() throws Exception {
        Path model = dir.resolve("checkpoint");
        TinyModels.write(model, 13);
        ReferenceModel reference = ReferenceModel.load(ModelCheckpoint.open(model));
        LlmConfig llm = reference.config().llm();
        ConversionResult result = Converter.convert(model, dir.resolve("onnx"), TargetDtype.FP32);
        int hidden = llm.hiddenSize();
        long[] cacheShape = {1, llm.numKeyValueHeads(), CAPACITY, llm.headDim()};
        List<OnnxTensor> buffers = new ArrayList<>();
        Map<String, OnnxTensor> past = new HashMap<>();
        Map<String, OnnxValue> pinned = new HashMap<>();
        for (int n = 0; n < llm.numHiddenLayers(); n++) {
            for (String[] names : new String[][] {
                {DecoderGraph.pastKey(n), DecoderGraph.presentKey(n)},
                {DecoderGraph.pastValue(n), DecoderGraph.presentValue(n)}
            }) {
                FloatBuffer buffer = ByteBuffer.allocateDirect(4 * (int) (cacheShape[1] * CAPACITY * cacheShape[3]))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                OnnxTensor tensor = OnnxTensor.createTensor(OrtRunner.ENV, buffer, cacheShape);
                buffers.add(tensor);
                past.put(names[0], tensor);
                pinned.put(names[1], tensor);
            }
        }
        int[] prompt = {1, 92543, 1008, 364, 777, 2, 93, 4000, 92542, 92543, 525};
        ReferenceSession session = reference.newSession();
        float[] want = session.prefill(prompt, null, new int[] {prompt.length - 1})[0];
        double worst;
        try (OrtRunner embedding = new OrtRunner(result.embeddingModel());
                OrtRunner decoder = new OrtRunner(result.decoderModel())) {
            float[] logits = run(embedding, decoder, prompt, 0, hidden, past, pinned);
            worst = OrtRunner.maxAbsDiff(want, logits);
            int length = prompt.length;
            for (int step = 0; step < 5; step++) {
                int next = ReferenceBatch.argmax(want);
                want = session.decode(next);
                logits = run(embedding, decoder, new int[] {next}, length, hidden, past, pinned);
                length++;
                worst = Math.max(worst, OrtRunner.maxAbsDiff(want, logits));
            }
        } finally {
            buffers.forEach(OnnxTensor::close);
        }
        System.out.printf("[onnx-vs-reference] shared pinned KV buffer, prefill + 5 decode steps: %.3e%n", worst);
        assertTrue(worst < OnnxVsReferenceTest.TOLERANCE, "max abs diff " + worst);
    }

    private static float[] run(
            OrtRunner embedding,
            OrtRunner decoder,
            int[] ids,
            int pastLength,
            int hidden,
            Map<String, OnnxTensor> past,
            Map<String, OnnxValue> pinned)
            throws Exception {
        long[] longIds = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longIds[i] = ids[i];
        }
        Map<String, OnnxTensor> embedInputs = Map.of(
                EmbeddingGraph.INPUT_IDS,
                        OnnxTensor.createTensor(OrtRunner.ENV, LongBuffer.wrap(longIds), new long[] {1, ids.length}),
                EmbeddingGraph.IMAGE_ROWS, OrtRunner.floats(new float[0], 0, hidden));
        Map<String, OnnxTensor> inputs = new HashMap<>(past);
        try (OrtSession.Result embedded = embedding.session().run(embedInputs)) {
            inputs.put(DecoderGraph.INPUTS_EMBEDS, (OnnxTensor)
                    embedded.get(EmbeddingGraph.INPUTS_EMBEDS).orElseThrow());
            inputs.put(DecoderGraph.VISUAL_MASK, (OnnxTensor)
                    embedded.get(EmbeddingGraph.VISUAL_MASK).orElseThrow());
            try (OnnxTensor seqlens = OnnxTensor.createTensor(
                            OrtRunner.ENV, IntBuffer.wrap(new int[] {pastLength + ids.length - 1}), new long[] {1});
                    OnnxTensor total = OnnxTensor.createTensor(OrtRunner.ENV, pastLength + ids.length)) {
                inputs.put(DecoderGraph.SEQLENS_K, seqlens);
                inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, total);
                try (OrtSession.Result out = decoder.session().run(inputs, Set.of(DecoderGraph.LOGITS), pinned)) {
                    FloatBuffer logits =
                            ((OnnxTensor) out.get(DecoderGraph.LOGITS).orElseThrow()).getFloatBuffer();
                    float[] values = new float[logits.remaining()];
                    logits.get(values);
                    return values;
                }
            }
        } finally {
            embedInputs.values().forEach(OnnxTensor::close);
        }
    }
}
