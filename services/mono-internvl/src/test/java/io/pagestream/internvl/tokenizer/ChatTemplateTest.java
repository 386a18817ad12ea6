package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    /** Spec section 4, copied independently of the constant under test. */
    private static final String SPEC_SYSTEM = "你是由上海人工智能实验室联合商汤科技开发的书生多模态大模型，英文名叫InternVL, 是一个有用无害的人工智能助手。";

    private static final String HEAD = "<|im_start|>system\n" + SPEC_SYSTEM + "<|im_end|><|im_start|>user\n";
    private static final String TAIL = "<|im_end|><|im_start|>assistant\n";

    private final ChatTemplate template = new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, 2);

    @Test
    void systemPromptIsTheSpecString() {
        assertEquals(SPEC_SYSTEM, ChatTemplate.SYSTEM_PROMPT);
    }

    @Test
    void oneImageIsPrefixedAsUpstreamChatDoes() {
        assertEquals(
                HEAD + "<img><IMG_CONTEXT><IMG_CONTEXT><IMG_CONTEXT><IMG_CONTEXT></img>\nWhat is this?" + TAIL,
                template.render("What is this?", List.of(2)));
    }

    @Test
    void realTileSizeGivesTheSpecLayout() {
        String text = new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, 256).render("Read the page.", List.of(13));
        assertEquals(HEAD + "<img>" + "<IMG_CONTEXT>".repeat(3328) + "</img>\nRead the page." + TAIL, text);
        assertFalse(text.contains("<|im_end|>\n"), "MPT style: nothing after <|im_end|>");
    }

    @Test
    void textOnlyPromptHasNoImageBlock() {
        assertEquals(HEAD + "Hi" + TAIL, template.render("Hi", List.of()));
    }

    @Test
    void severalImagesWithoutPlaceholdersGetOneLineEachInOrder() {
        assertEquals(
                HEAD + "<img>" + "<IMG_CONTEXT>".repeat(2) + "</img>\n<img>" + "<IMG_CONTEXT>".repeat(6)
                        + "</img>\nCompare." + TAIL,
                template.render("Compare.", List.of(1, 3)));
    }

    @Test
    void explicitPlaceholdersAreFilledInOrder() {
        assertEquals(
                HEAD + "A: <img>" + "<IMG_CONTEXT>".repeat(6) + "</img>, B: <img>" + "<IMG_CONTEXT>".repeat(2)
                        + "</img>?" + TAIL,
                template.render("A: <image>, B: <image>?", List.of(3, 1)));
    }

    @Test
    void countsContextTokensOverAllImages() {
        assertEquals(3328, new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, 256).imageContextTokens(List.of(13)));
        assertEquals(8, template.imageContextTokens(List.of(1, 3)));
    }

    @Test
    void rejectsMismatchedPlaceholdersEmptyImagesAndBadTileSizes() {
        assertThrows(IllegalArgumentException.class, () -> template.render("<image> <image>", List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> template.render("<image>", List.of()));
        assertThrows(IllegalArgumentException.class, () -> template.render("q", List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, 0));
    }
}
