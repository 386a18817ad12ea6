package io.pagestream.internvl.tokenizer;

import java.util.List;

/**
 * The {@code internlm2-chat} prompt text of one user turn, MPT separator style (nothing between {@code <|im_end|>} and
 * the next {@code <|im_start|>}), with every {@code <image>} placeholder expanded.
 *
 * <p>Image rule, after InternVL's {@code chat()}: a question without {@code <image>} gets {@code <image>\n} in front;
 * upstream does this once, which only works for one image, so here one {@code <image>\n} line is added per image.
 * A question that does contain placeholders must hold exactly one per image; they are filled in order, image k
 * becoming {@code <img>} + {@code <IMG_CONTEXT>} × (tokens per tile × tiles of image k) + {@code </img>}. The text
 * has no {@code <s>}: the tokenizer adds BOS.
 */
public final class ChatTemplate {
    public static final String IMAGE_PLACEHOLDER = "<image>";
    /** InternVL's default system message for {@code internlm2-chat} (spec section 4). */
    public static final String SYSTEM_PROMPT = "你是由上海人工智能实验室联合商汤科技开发的书生多模态大模型，英文名叫InternVL, 是一个有用无害的人工智能助手。";

    private final String systemPrompt;
    private final int tokensPerTile;

    public ChatTemplate(String systemPrompt, int tokensPerTile) {
        if (tokensPerTile < 1) {
            throw new IllegalArgumentException("tokens per tile must be positive, got " + tokensPerTile);
        }
        this.systemPrompt = systemPrompt;
        this.tokensPerTile = tokensPerTile;
    }

    /** @param tilesPerImage tiles of each image in order, thumbnail included; empty for a text-only prompt */
    public String render(String question, List<Integer> tilesPerImage) {
        String user = withPlaceholders(question, tilesPerImage.size());
        for (int tiles : tilesPerImage) {
            if (tiles < 1) {
                throw new IllegalArgumentException("an image needs at least one tile, got " + tiles);
            }
            int at = user.indexOf(IMAGE_PLACEHOLDER);
            user = user.substring(0, at) + imageBlock(tiles) + user.substring(at + IMAGE_PLACEHOLDER.length());
        }
        return InternLm2Tokens.IM_START + "system\n" + systemPrompt + InternLm2Tokens.IM_END
                + InternLm2Tokens.IM_START + "user\n" + user + InternLm2Tokens.IM_END
                + InternLm2Tokens.IM_START + "assistant\n";
    }

    /** {@code <IMG_CONTEXT>} tokens a prompt with these images must contain. */
    public int imageContextTokens(List<Integer> tilesPerImage) {
        return tilesPerImage.stream().mapToInt(Integer::intValue).sum() * tokensPerTile;
    }

    private static String withPlaceholders(String question, int images) {
        int placeholders = count(question, IMAGE_PLACEHOLDER);
        if (placeholders == 0) {
            return (IMAGE_PLACEHOLDER + "\n").repeat(images) + question;
        }
        if (placeholders != images) {
            throw new IllegalArgumentException("the question has " + placeholders + " " + IMAGE_PLACEHOLDER
                    + " placeholders for " + images + " images");
        }
        return question;
    }

    private String imageBlock(int tiles) {
        return InternLm2Tokens.IMG_START
                + InternLm2Tokens.IMG_CONTEXT.repeat(tokensPerTile * tiles)
                + InternLm2Tokens.IMG_END;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
