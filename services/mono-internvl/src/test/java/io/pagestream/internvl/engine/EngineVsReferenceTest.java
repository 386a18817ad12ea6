package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.image.PixelTiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's greedy tokens against the plain-Java reference model, and its log-probabilities within the fp32
 * conversion's tolerance: pages with images of 1 and 3 tiles (several prompts sharing a prefix) and a text-only page,
 * all batched together.
 */
class EngineVsReferenceTest {
    static final double LOGPROB_TOLERANCE = 2e-3;
    private static final int STEPS = 6;

    @Test
    void greedyTokensAndLogprobsMatchTheReference() {
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(6, 400))) {
            PixelTiles wide = engine.preprocess(TinyEngineModel.image(448, 224, 1));
            PixelTiles square = engine.preprocess(TinyEngineModel.image(224, 224, 2));
            assertEquals(3, wide.tileCount());
            assertEquals(1, square.tileCount());
            List<PageRequest> pages = List.of(
                    PageRequest.of(wide, request("Transcribe this page."), request("Who signed it?")),
                    PageRequest.of(square, request("What is in the picture, in a few words?")),
                    PageRequest.text(request("Say hello.")));
            List<GenerationHandle> handles = new ArrayList<>();
            pages.forEach(page -> handles.addAll(engine.submit(page)));
            double worst = 0;
            int index = 0;
            for (PageRequest page : pages) {
                for (int i = 0; i < page.prompts().size(); i++) {
                    GenerationResult result = handles.get(index++).join();
                    ReferenceGreedy.Output want =
                            ReferenceGreedy.generate(result.promptTokenIds(), page.images(), STEPS);
                    assertArrayEquals(
                            want.tokens(),
                            result.tokenIds(),
                            "tokens of " + page.prompts().get(i));
                    for (int t = 0; t < STEPS; t++) {
                        worst = Math.max(worst, Math.abs(want.logprobs()[t] - result.logprobs()[t]));
                    }
                    assertEquals(FinishReason.LENGTH, result.finishReason());
                }
            }
            System.out.printf(
                    "[engine-vs-reference] 4 prompts × %d greedy tokens: same tokens, max |Δ logprob| " + "%.2e%n",
                    STEPS, worst);
            assertTrue(worst < LOGPROB_TOLERANCE, "max logprob difference " + worst);
        }
    }

    private static GenerationRequest request(String prompt) {
        return GenerationRequest.of(prompt, STEPS).withStopTokens(Set.of());
    }
}
