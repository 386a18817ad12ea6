package io.pagestream.internvl.engine;

import java.util.Set;

/**
 * One prompt: a question (or instruction) about the images of its {@link PageRequest}, rendered with the model's
 * chat template.
 *
 * @param prompt          the user text; images are placed in front of it unless it holds {@code <image>}
 *                        placeholders, one per image
 * @param maxNewTokens    most tokens generated, the stop token included
 * @param sampling        {@link SamplingOptions#GREEDY} unless asked otherwise
 * @param stopTokens      token ids that end the generation, or null for the model's own ({@code <|im_end|>},
 *                        {@code </s>}, {@code <|im_start|>}); an empty set never stops early
 * @param repetitionGuard null for the engine's default
 * @param listener        streaming callbacks, or {@link GenerationListener#NONE}
 */
public record GenerationRequest(
        String prompt,
        int maxNewTokens,
        SamplingOptions sampling,
        Set<Integer> stopTokens,
        RepetitionGuard repetitionGuard,
        GenerationListener listener) {

    public GenerationRequest {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt is required");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        sampling = sampling == null ? SamplingOptions.GREEDY : sampling;
        stopTokens = stopTokens == null ? null : Set.copyOf(stopTokens);
        listener = listener == null ? GenerationListener.NONE : listener;
    }

    /** Greedy, the model's stop tokens, the engine's repetition guard. */
    public static GenerationRequest of(String prompt, int maxNewTokens) {
        return new GenerationRequest(prompt, maxNewTokens, SamplingOptions.GREEDY, null, null, null);
    }

    public GenerationRequest withSampling(SamplingOptions options) {
        return new GenerationRequest(prompt, maxNewTokens, options, stopTokens, repetitionGuard, listener);
    }

    public GenerationRequest withStopTokens(Set<Integer> ids) {
        return new GenerationRequest(prompt, maxNewTokens, sampling, ids, repetitionGuard, listener);
    }

    public GenerationRequest withRepetitionGuard(RepetitionGuard guard) {
        return new GenerationRequest(prompt, maxNewTokens, sampling, stopTokens, guard, listener);
    }

    public GenerationRequest withListener(GenerationListener callbacks) {
        return new GenerationRequest(prompt, maxNewTokens, sampling, stopTokens, repetitionGuard, callbacks);
    }
}
