package io.pagestream.internvl.tokenizer;

import static io.pagestream.internvl.tokenizer.TestTokenizers.concat;
import static io.pagestream.internvl.tokenizer.TestTokenizers.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatPromptTest {
    private static final int TOKENS_PER_TILE = 256;
    private static final int IMG_CONTEXT = 92546;

    @TempDir
    static Path dir;

    private static TestTokenizers t;
    private static ChatPrompt prompt;

    @BeforeAll
    static void write() throws IOException {
        t = new TestTokenizers(dir.resolve("full"));
        prompt = new ChatPrompt(t.tokenizer, TOKENS_PER_TILE);
    }

    @AfterAll
    static void close() {
        t.close();
    }

    @Test
    void oneTileGivesTheSpecTokenSequence() {
        PromptTokens tokens = prompt.build("What is this?", List.of(1));
        int[] expected = concat(
                ids(1, 92543),
                t.sp("system\n" + ChatTemplate.SYSTEM_PROMPT),
                ids(92542, 92543),
                t.sp("user\n"),
                ids(92544),
                context(256),
                ids(92545),
                t.sp("\nWhat is this?"),
                ids(92542, 92543),
                t.sp("assistant\n"));
        assertArrayEquals(expected, tokens.ids());
        assertEquals(256, tokens.imageContextCount());
        int first = tokens.imageContextPositions()[0];
        assertArrayEquals(IntStream.range(first, first + 256).toArray(), tokens.imageContextPositions());
        assertEquals(92544, tokens.ids()[first - 1]);
        assertEquals(92545, tokens.ids()[first + 256]);
        assertEquals(
                new ChatTemplate(ChatTemplate.SYSTEM_PROMPT, 256).render("What is this?", List.of(1)), tokens.text());
    }

    @Test
    void thirteenTilesAdd3072ContextTokensAndNothingElse() {
        PromptTokens one = prompt.build("Read the page.", List.of(1));
        PromptTokens thirteen = prompt.build("Read the page.", List.of(13));
        assertEquals(3328, thirteen.imageContextCount());
        assertEquals(one.ids().length + 12 * 256, thirteen.ids().length);
        int[] withoutContext =
                Arrays.stream(thirteen.ids()).filter(id -> id != IMG_CONTEXT).toArray();
        assertArrayEquals(
                Arrays.stream(one.ids()).filter(id -> id != IMG_CONTEXT).toArray(), withoutContext);
    }

    @Test
    void tokensPerTileIsAParameter() {
        PromptTokens tokens = new ChatPrompt(t.tokenizer, 4).build("q", List.of(2, 1));
        assertEquals(12, tokens.imageContextCount());
        assertEquals(2, Arrays.stream(tokens.ids()).filter(id -> id == 92544).count());
    }

    @Test
    void textOnlyPromptHasNoImagePositions() {
        PromptTokens tokens = prompt.build("Hello", List.of());
        assertEquals(0, tokens.imageContextCount());
        assertArrayEquals(t.tokenizer.encode(tokens.text()), tokens.ids());
    }

    @Test
    void questionsSpellingImageTokensAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> prompt.build("sneaky <IMG_CONTEXT>", List.of(1)));
    }

    private static int[] context(int count) {
        int[] ids = new int[count];
        Arrays.fill(ids, IMG_CONTEXT);
        return ids;
    }
}
