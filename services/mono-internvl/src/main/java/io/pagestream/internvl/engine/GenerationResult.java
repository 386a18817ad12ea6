package io.pagestream.internvl.engine;

/**
 * What one request produced.
 *
 * @param promptTokenIds     the tokenized prompt, images expanded to their {@code <IMG_CONTEXT>} tokens
 * @param tokenIds           generated tokens, a final stop token included
 * @param logprobs           natural-log probability of each generated token under the model's own distribution
 *                           (before temperature and top-p)
 * @param text               the generated text, special tokens left out, cut at {@code <|im_end|>}
 * @param reusedPrefixTokens prompt tokens whose KV cache came from the page's shared prefix
 */
public record GenerationResult(
        int[] promptTokenIds,
        int[] tokenIds,
        float[] logprobs,
        String text,
        FinishReason finishReason,
        int reusedPrefixTokens,
        Timings timings) {}
