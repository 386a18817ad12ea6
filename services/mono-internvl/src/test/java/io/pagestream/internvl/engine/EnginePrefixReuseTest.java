package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.image.PixelTiles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A page's prompts sharing one prefill of the system prompt and image give what separate prefills give. */
class EnginePrefixReuseTest {

    @Test
    void sharedPrefixGivesTheSameOutputsAsSeparatePrefills() {
        List<GenerationResult> reused;
        List<GenerationResult> separate;
        EngineStats reusedStats;
        EngineStats separateStats;
        try (GenerationEngine engine = TinyEngineModel.open(TinyEngineModel.config(4, 400))) {
            reused = engine.generate(page(engine));
            reusedStats = engine.stats();
        }
        try (GenerationEngine engine =
                TinyEngineModel.open(TinyEngineModel.config(4, 400).withPrefixReuse(false))) {
            separate = engine.generate(page(engine));
            separateStats = engine.stats();
        }
        double worst = 0;
        for (int i = 0; i < reused.size(); i++) {
            assertArrayEquals(separate.get(i).tokenIds(), reused.get(i).tokenIds(), "prompt " + i);
            for (int t = 0; t < reused.get(i).logprobs().length; t++) {
                worst = Math.max(
                        worst,
                        Math.abs(separate.get(i).logprobs()[t] - reused.get(i).logprobs()[t]));
            }
            assertEquals(0, separate.get(i).reusedPrefixTokens());
        }
        int prefix = reused.getFirst().reusedPrefixTokens();
        int imageTokens = 3 * 64;
        assertTrue(prefix > imageTokens, "the shared prefix covers the system prompt and the image: " + prefix);
        assertEquals(separateStats.prefillTokens() - 2L * prefix, reusedStats.prefillTokens());
        assertEquals(2L * prefix, reusedStats.reusedPrefixTokens());
        System.out.printf(
                "[engine-prefix] 3 prompts share %d prefix tokens: prefill tokens %d → %d, same tokens, "
                        + "max |Δ logprob| %.2e%n",
                prefix, separateStats.prefillTokens(), reusedStats.prefillTokens(), worst);
        assertTrue(worst < 1e-4, "logprob difference " + worst);
    }

    private static PageRequest page(GenerationEngine engine) {
        PixelTiles image = engine.preprocess(TinyEngineModel.image(448, 224, 5));
        return PageRequest.of(
                image,
                request("Transcribe the whole page as markdown."),
                request("Who wrote it?"),
                request("What is the date at the top?"));
    }

    private static GenerationRequest request(String prompt) {
        return GenerationRequest.of(prompt, 6).withStopTokens(Set.of());
    }
}
