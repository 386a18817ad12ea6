package io.pagestream.worker.output;

import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationResult;

/**
 * How sure the model was of what it wrote: the geometric mean of the generated tokens' probabilities,
 * {@code exp(mean(logprob))}, in [0, 1]. The stop token that ends an answer is left out (it says where the answer
 * ends, not what it says), unless it is the only token, when the answer is empty and its probability is the
 * confidence in that emptiness. Log-probabilities are the model's own distribution, before any sampling transform.
 */
public final class Confidence {
    private Confidence() {}

    public static double of(GenerationResult result) {
        float[] logprobs = result.logprobs();
        int count = logprobs.length;
        if (result.finishReason() == FinishReason.STOP && count > 1) {
            count--;
        }
        if (count == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += logprobs[i];
        }
        double value = Math.exp(sum / count);
        return Double.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
    }
}
