package io.pagestream.internvl.tokenizer;

import java.util.List;
import java.util.stream.IntStream;

/** Renders a one-turn {@link ChatTemplate} prompt and tokenizes it. */
public final class ChatPrompt {
    private final Tokenizer tokenizer;
    private final ChatTemplate template;

    /** @param tokensPerTile visual tokens per tile after pixel shuffle (256 for the real model) */
    public ChatPrompt(Tokenizer tokenizer, int tokensPerTile) {
        this(tokenizer, new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, tokensPerTile));
    }

    public ChatPrompt(Tokenizer tokenizer, ChatTemplate template) {
        this.tokenizer = tokenizer;
        this.template = template;
    }

    /**
     * @throws IllegalArgumentException when the question itself spells image tokens, which would shift the image
     *                                  rows against the projector output
     */
    public PromptTokens build(String question, List<Integer> tilesPerImage) {
        String text = template.render(question, tilesPerImage);
        int[] ids = tokenizer.encode(text);
        int contextId = tokenizer.tokenId(InternLm2Tokens.IMG_CONTEXT);
        int[] positions =
                IntStream.range(0, ids.length).filter(i -> ids[i] == contextId).toArray();
        int expected = template.imageContextTokens(tilesPerImage);
        if (positions.length != expected) {
            throw new IllegalArgumentException("the prompt holds " + positions.length + " "
                    + InternLm2Tokens.IMG_CONTEXT + " tokens where its images need " + expected);
        }
        return new PromptTokens(text, ids, positions);
    }
}
