package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pagestream.internvl.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stop tokens, max new tokens, the streamed tokens, the decoded text, and seeded sampling. */
class EngineStoppingTest {
    private static final String PROMPT = "Transcribe the page.";
    private static GenerationEngine engine;

    @BeforeAll
    static void open() {
        engine = TinyEngineModel.open(TinyEngineModel.config(4, 400));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void maxNewTokensIsHonoured() {
        for (int max : new int[] {1, 5}) {
            GenerationResult result = generate(GenerationRequest.of(PROMPT, max).withStopTokens(Set.of()));
            assertEquals(max, result.tokenIds().length);
            assertEquals(max, result.logprobs().length);
            assertEquals(FinishReason.LENGTH, result.finishReason());
        }
    }

    @Test
    void aStopTokenEndsTheGenerationAndIsKept() {
        int[] free = generate(GenerationRequest.of(PROMPT, 10).withStopTokens(Set.of()))
                .tokenIds();
        int at = 4;
        while (indexOf(free, free[at]) != at) {
            at++;
        }
        int stop = free[at];
        GenerationResult stopped = generate(GenerationRequest.of(PROMPT, 10).withStopTokens(Set.of(stop, 92542)));
        assertArrayEquals(Arrays.copyOf(free, at + 1), stopped.tokenIds());
        assertEquals(FinishReason.STOP, stopped.finishReason());
    }

    @Test
    void listenerStreamsEveryTokenInOrderAndTextIsTheDecodedTokens() throws Exception {
        List<Integer> streamed = new ArrayList<>();
        List<Float> logprobs = new ArrayList<>();
        GenerationResult[] finished = new GenerationResult[1];
        GenerationListener listener = new GenerationListener() {
            @Override
            public void onToken(int index, int tokenId, float logprob) {
                assertEquals(streamed.size(), index);
                streamed.add(tokenId);
                logprobs.add(logprob);
            }

            @Override
            public void onFinish(GenerationResult result) {
                finished[0] = result;
            }
        };
        GenerationResult result = generate(
                GenerationRequest.of(PROMPT, 7).withStopTokens(Set.of()).withListener(listener));
        assertArrayEquals(
                result.tokenIds(), streamed.stream().mapToInt(Integer::intValue).toArray());
        for (int i = 0; i < logprobs.size(); i++) {
            assertEquals(result.logprobs()[i], logprobs.get(i));
        }
        assertEquals(result, finished[0]);
        try (Tokenizer tokenizer = Tokenizer.load(TinyEngineModel.checkpoint())) {
            assertEquals(tokenizer.decode(result.tokenIds()), result.text());
        }
    }

    @Test
    void seededSamplingIsReproducibleWhateverTheBatch() {
        GenerationRequest sampled = GenerationRequest.of(PROMPT, 8)
                .withStopTokens(Set.of())
                .withSampling(SamplingOptions.of(1.5, 0.95, 42));
        GenerationResult alone = generate(sampled);
        List<GenerationHandle> batch = engine.submit(PageRequest.text(
                GenerationRequest.of("Something else entirely.", 8).withStopTokens(Set.of()), sampled));
        assertArrayEquals(alone.tokenIds(), batch.get(1).join().tokenIds());
        GenerationResult greedy = generate(GenerationRequest.of(PROMPT, 8).withStopTokens(Set.of()));
        assertNotEquals(
                Arrays.toString(greedy.tokenIds()),
                Arrays.toString(alone.tokenIds()),
                "sampling at temperature 1.5 departs from greedy");
        GenerationResult otherSeed = generate(sampled.withSampling(SamplingOptions.of(1.5, 0.95, 43)));
        assertNotEquals(Arrays.toString(otherSeed.tokenIds()), Arrays.toString(alone.tokenIds()));
    }

    private static GenerationResult generate(GenerationRequest request) {
        return engine.generate(PageRequest.text(request)).getFirst();
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
