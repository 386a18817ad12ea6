package io.pagestream.internvl.reference;

import java.util.ArrayList;
import java.util.List;

/** Several independent sequences, each prefilled and then decoded greedily: the expected output of a batch run. */
public final class ReferenceBatch {
    private ReferenceBatch() {}

    /**
     * @param imageRows   projector rows for the prompt's {@code <IMG_CONTEXT>} tokens, or null
     * @param greedySteps decode steps after the prefill, each feeding back the previous argmax
     */
    public record Request(int[] ids, float[][] imageRows, int greedySteps) {}

    /**
     * @param prefillLogits logits at the last prompt position
     * @param generated     the greedy tokens: the prefill's argmax, then each decode step's
     * @param stepLogits    logits of each decode step
     */
    public record Result(float[] prefillLogits, int[] generated, float[][] stepLogits) {}

    static List<Result> run(ReferenceModel model, List<Request> requests) {
        List<Result> results = new ArrayList<>();
        for (Request request : requests) {
            ReferenceSession session = model.newSession();
            float[] logits =
                    session.prefill(request.ids(), request.imageRows(), new int[] {request.ids().length - 1})[0];
            int[] generated = new int[request.greedySteps() + 1];
            float[][] stepLogits = new float[request.greedySteps()][];
            generated[0] = argmax(logits);
            for (int step = 0; step < request.greedySteps(); step++) {
                stepLogits[step] = session.decode(generated[step]);
                generated[step + 1] = argmax(stepLogits[step]);
            }
            results.add(new Result(logits, generated, stepLogits));
        }
        return results;
    }

    /** Index of the largest logit, the lowest index on ties. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
