package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.reference.ReferenceBatch;
import io.pagestream.internvl.reference.ReferenceModel;
import io.pagestream.internvl.reference.ReferenceSession;

/**
 * One comparison of a converted pipeline (all-position logits) with the float32 reference on a one-tile image prompt
 * followed by {@value #STEPS} teacher-forced decode steps: both are fed the reference's greedy tokens, and at the
 * prefill's last position and at each step the greedy choices are compared.
 *
 * @param prefillAbs largest |logit − reference logit| over every prefill position
 * @param prefillRel prefillAbs divided by the largest |reference logit| of the prefill
 * @param decodeAbs  the same over the decode steps
 * @param decodeRel  decodeAbs divided by the largest |reference logit| of the decode steps
 * @param agree      positions (the prefill's last and each step) where the greedy token matches the reference's
 * @param positions  positions compared: {@value #STEPS} + 1
 * @param finite     whether every logit was finite
 * @param visionAbs  largest |projector row − reference row|
 */
record PrecisionRun(
        double prefillAbs,
        double prefillRel,
        double decodeAbs,
        double decodeRel,
        int agree,
        int positions,
        boolean finite,
        double visionAbs) {
    static final int STEPS = 32;

    static PrecisionRun of(OnnxPipeline onnx, ReferenceModel reference, long pixelSeed) throws Exception {
        LlmConfig llm = reference.config().llm();
        int vocab = llm.vocabSize();
        float[] pixels = OnnxVsReferenceTest.pixels(1, pixelSeed);
        float[] rows = onnx.vision(pixels, 1, TinyModels.TILE);
        float[][] expectedRows = reference.encodeImage(pixels, 1, TinyModels.TILE);
        double vision = OrtRunner.maxAbsDiff(OnnxVsReferenceTest.flatten(expectedRows), rows);
        int[] ids = OnnxVsReferenceTest.imagePrompt(rows.length / llm.hiddenSize());
        ReferenceSession session = reference.newSession();
        float[][] expected = session.prefill(ids, expectedRows);
        OnnxPipeline.Step step = onnx.step(
                new long[][] {OnnxVsReferenceTest.longs(ids, ids.length)},
                new int[] {ids.length},
                rows,
                onnx.emptyCache(1));
        boolean finite = finite(step.logits());
        double prefillAbs = OnnxVsReferenceTest.diff(expected, step.logits(), 0, vocab);
        double prefillScale = 0;
        for (float[] row : expected) {
            prefillScale = Math.max(prefillScale, maxAbs(row));
        }
        float[] lastRow = java.util.Arrays.copyOfRange(step.logits(), (ids.length - 1) * vocab, ids.length * vocab);
        int next = ReferenceBatch.argmax(expected[expected.length - 1]);
        int agree = ReferenceBatch.argmax(lastRow) == next ? 1 : 0;
        double decodeAbs = 0;
        double decodeScale = 0;
        for (int i = 0; i < STEPS; i++) {
            float[] want = session.decode(next);
            step = onnx.step(new long[][] {{next}}, new int[] {1}, new float[0], step.cache());
            finite &= finite(step.logits());
            decodeAbs = Math.max(decodeAbs, OrtRunner.maxAbsDiff(want, step.logits()));
            decodeScale = Math.max(decodeScale, maxAbs(want));
            next = ReferenceBatch.argmax(want);
            agree += ReferenceBatch.argmax(step.logits()) == next ? 1 : 0;
        }
        return new PrecisionRun(
                prefillAbs,
                prefillAbs / prefillScale,
                decodeAbs,
                decodeAbs / decodeScale,
                agree,
                STEPS + 1,
                finite,
                vision);
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    String describe() {
        return String.format(
                "prefill max abs %.3e (rel %.1e), decode max abs %.3e (rel %.1e), greedy %d/%d, "
                        + "vision rows %.1e%s",
                prefillAbs,
                prefillRel,
                decodeAbs,
                decodeRel,
                agree,
                positions,
                visionAbs,
                finite ? "" : ", NON-FINITE logits");
    }
}
