package io.pagestream.internvl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.reference.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default (generation) conversion returns logits only at each row's last valid position, [B, 1, vocab]. The
 * in-graph index must be right for the three kinds of call GroupQueryAttention accepts: a right-padded prefill, a
 * batched decode step, and a multi-token chunk on top of a cache (batch 1).
 */
class OnnxLastLogitsTest {
    @TempDir
    static Path dir;

    @Test
    void lastValidPositionIsPickedForPaddedPrefillDecodeAndChunks() throws Exception {
        Path model = dir.resolve("checkpoint");
        TinyModels.write(model, 11);
        ReferenceModel reference = ReferenceModel.load(ModelCheckpoint.open(model));
        LlmConfig llm = reference.config().llm();
        int vocab = llm.vocabSize();
        ConversionResult result = Converter.convert(model, dir.resolve("onnx"), TargetDtype.FP32);
        assertTrue(!result.manifest().allLogits());

        int[] longer = {1, 92543, 1008, 364, 777, 2, 93, 4000, 92542, 92543, 525};
        int[] shorter = {1, 92543, 66, 4000, 92542};
        int s = longer.length;
        try (OnnxPipeline onnx = new OnnxPipeline(
                result.outDir(), llm.numHiddenLayers(), llm.numKeyValueHeads(), llm.headDim(), llm.hiddenSize())) {
            OnnxPipeline.Step prefill = onnx.step(
                    new long[][] {OnnxVsReferenceTest.longs(shorter, s), OnnxVsReferenceTest.longs(longer, s)},
                    new int[] {shorter.length, s},
                    new float[0],
                    onnx.emptyCache(2));
            assertEquals(2 * vocab, prefill.logits().length);
            float[] shortWant = last(reference, shorter);
            float[] longWant = last(reference, longer);
            double padded = Math.max(
                    OrtRunner.maxAbsDiff(shortWant, Arrays.copyOf(prefill.logits(), vocab)),
                    OrtRunner.maxAbsDiff(longWant, Arrays.copyOfRange(prefill.logits(), vocab, 2 * vocab)));

            OnnxPipeline.Step decode =
                    onnx.step(new long[][] {{4000}, {4000}}, new int[] {1, 1}, new float[0], prefill.cache());
            double batchedDecode = Math.max(
                    OrtRunner.maxAbsDiff(last(reference, append(shorter, 4000)), Arrays.copyOf(decode.logits(), vocab)),
                    OrtRunner.maxAbsDiff(
                            last(reference, append(longer, 4000)),
                            Arrays.copyOfRange(decode.logits(), vocab, 2 * vocab)));

            int split = 6;
            OnnxPipeline.Step first = onnx.step(
                    new long[][] {OnnxVsReferenceTest.longs(Arrays.copyOf(longer, split), split)},
                    new int[] {split},
                    new float[0],
                    onnx.emptyCache(1));
            int[] rest = Arrays.copyOfRange(longer, split, s);
            OnnxPipeline.Step chunk = onnx.step(
                    new long[][] {OnnxVsReferenceTest.longs(rest, rest.length)},
                    new int[] {rest.length},
                    new float[0],
                    first.cache());
            double chunked = OrtRunner.maxAbsDiff(longWant, chunk.logits());

            System.out.printf(
                    "[onnx-vs-reference] last-position logits: padded prefill %.3e, batched decode %.3e, "
                            + "chunk on a cache %.3e%n",
                    padded, batchedDecode, chunked);
            assertTrue(padded < OnnxVsReferenceTest.TOLERANCE, "padded prefill " + padded);
            assertTrue(batchedDecode < OnnxVsReferenceTest.TOLERANCE, "batched decode " + batchedDecode);
            assertTrue(chunked < OnnxVsReferenceTest.TOLERANCE, "chunk " + chunked);
        }
    }

    private static float[] last(ReferenceModel reference, int[] ids) {
        return reference.newSession().prefill(ids, null, new int[] {ids.length - 1})[0];
    }

    private static int[] append(int[] ids, int id) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = id;
        return out;
    }
}
