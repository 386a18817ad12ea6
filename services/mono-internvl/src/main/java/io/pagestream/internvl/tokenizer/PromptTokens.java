package io.pagestream.internvl.tokenizer;

/**
 * A tokenized prompt.
 *
 * @param imageContextPositions indices into {@code ids} of the {@code <IMG_CONTEXT>} tokens, ascending: the rows the
 *                              projector output overwrites, in order
 */
public record PromptTokens(String text, int[] ids, int[] imageContextPositions) {

    public int imageContextCount() {
        return imageContextPositions.length;
    }
}
