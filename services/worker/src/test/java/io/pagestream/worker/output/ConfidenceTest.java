package io.pagestream.worker.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.Timings;
import org.junit.jupiter.api.Test;

class ConfidenceTest {

    private static GenerationResult result(FinishReason reason, float... logprobs) {
        return new GenerationResult(
                new int[3], new int[logprobs.length], logprobs, "x", reason, 0, new Timings(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void geometricMeanOfTheTokenProbabilitiesLeavingOutTheStopToken() {
        double expected = Math.exp((Math.log(0.9) + Math.log(0.5)) / 2);
        assertEquals(
                expected,
                Confidence.of(result(
                        FinishReason.STOP, (float) Math.log(0.9), (float) Math.log(0.5), (float) Math.log(0.01))),
                1e-6);
    }

    @Test
    void aTruncatedAnswerCountsEveryToken() {
        assertEquals(
                Math.exp((Math.log(0.9) + Math.log(0.5)) / 2),
                Confidence.of(result(FinishReason.LENGTH, (float) Math.log(0.9), (float) Math.log(0.5))),
                1e-6);
    }

    @Test
    void anEmptyAnswerIsAsSureAsItsStopTokenAndNothingIsZero() {
        assertEquals(0.8, Confidence.of(result(FinishReason.STOP, (float) Math.log(0.8))), 1e-6);
        assertEquals(0, Confidence.of(result(FinishReason.CANCELLED)));
        assertEquals(1.0, Confidence.of(result(FinishReason.LENGTH, 0f, 0f)), 1e-9);
    }
}
