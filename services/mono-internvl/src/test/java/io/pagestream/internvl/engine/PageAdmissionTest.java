package io.pagestream.internvl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared prefix a page's prompts prefill once: common tokens, each prompt keeping one token of its own. */
class PageAdmissionTest {

    private static List<PendingPage.Prompt> prompts(int[]... ids) {
        return Arrays.stream(ids)
                .map(prompt -> new PendingPage.Prompt(
                        new GenerationHandle(), GenerationRequest.of("q", 4), prompt, new int[0], RepetitionGuard.NONE))
                .toList();
    }

    @Test
    void theCommonPrefixOfAllPrompts() {
        assertEquals(
                3,
                PageAdmission.sharedPrefix(
                        prompts(new int[] {1, 2, 3, 4, 5}, new int[] {1, 2, 3, 9}, new int[] {1, 2, 3, 4, 7})));
        assertEquals(0, PageAdmission.sharedPrefix(prompts(new int[] {1, 2}, new int[] {8, 2})));
    }

    @Test
    void eachPromptKeepsATokenOfItsOwnForTheLogitsOfItsFirstToken() {
        assertEquals(
                2, PageAdmission.sharedPrefix(prompts(new int[] {1, 2, 3}, new int[] {1, 2, 3})), "identical prompts");
        assertEquals(
                1,
                PageAdmission.sharedPrefix(prompts(new int[] {1, 2, 3, 4}, new int[] {1, 2})),
                "a prompt that is the other's prefix");
        assertEquals(0, PageAdmission.sharedPrefix(prompts(new int[] {1}, new int[] {1, 2})));
    }
}
