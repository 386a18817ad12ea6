package io.pagestream.internvl.tokenizer;

import java.util.List;
import java.util.stream.Stream;

/** Token strings of InternLM2 and of the InternVL image tokens added on top of it. */
public final class InternLm2Tokens {
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final String IMG_START = "<img>";
    public static final String IMG_END = "</img>";
    public static final String IMG_CONTEXT = "<IMG_CONTEXT>";

    /**
     * The chat tokens that close InternLM2's base vocabulary (ids 92538..92543 in the real one), in id order. The
     * real {@code tokenizer.model} stores them under the placeholder pieces of {@link #reservedPiece(int)}; only
     * {@code tokenizer_config.json} gives them these names.
     */
    public static final List<String> CHAT_TOKENS =
            List.of("<|plugin|>", "<|interpreter|>", "<|action_end|>", "<|action_start|>", IM_END, IM_START);

    /**
     * InternVL's grounding markup, in id order: a quad, a referring phrase and a box ({@code [[x1, y1, x2, y2]]} on a
     * 0-1000 grid) are written between these tokens. Unlike the other added tokens they are part of what the model
     * says, so {@link Tokenizer#decode(int[])} keeps them.
     */
    public static final List<String> GROUNDING_TOKENS =
            List.of("<quad>", "</quad>", "<ref>", "</ref>", "<box>", "</box>");

    /** InternVL's added tokens, ids following the base vocabulary in this order (92544..92552 in the real one). */
    public static final List<String> ADDED_TOKENS = Stream.concat(
                    Stream.of(IMG_START, IMG_END, IMG_CONTEXT), GROUNDING_TOKENS.stream())
            .toList();

    private static final int FIRST_RESERVED_NUMBER = 141;

    private InternLm2Tokens() {}

    /**
     * The piece text the real SentencePiece model keeps for {@code CHAT_TOKENS.get(index)}: early InternLM2 prompts
     * wrote {@code [UNUSED_TOKEN_146]user} for {@code <|im_start|>user}, and {@code <|im_end|>} is
     * {@code [UNUSED_TOKEN_145]}.
     */
    public static String reservedPiece(int index) {
        return "[UNUSED_TOKEN_" + (FIRST_RESERVED_NUMBER + index) + "]";
    }
}
