package io.pagestream.internvl.tokenizer;

import static io.pagestream.internvl.tokenizer.TestTokenizers.concat;
import static io.pagestream.internvl.tokenizer.TestTokenizers.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    /** Spec section 1: every added and special token with its id in the real checkpoint. */
    private static final Map<String, Integer> SPEC_IDS = Map.ofEntries(
            Map.entry("<unk>", 0),
            Map.entry("<s>", 1),
            Map.entry("</s>", 2),
            Map.entry("<|im_end|>", 92542),
            Map.entry("<|im_start|>", 92543),
            Map.entry("<img>", 92544),
            Map.entry("</img>", 92545),
            Map.entry("<IMG_CONTEXT>", 92546),
            Map.entry("<quad>", 92547),
            Map.entry("</quad>", 92548),
            Map.entry("<ref>", 92549),
            Map.entry("</ref>", 92550),
            Map.entry("<box>", 92551),
            Map.entry("</box>", 92552));

    @TempDir
    static Path dir;

    private static TestTokenizers t;

    @BeforeAll
    static void write() throws IOException {
        t = new TestTokenizers(dir.resolve("full"));
    }

    @AfterAll
    static void close() {
        t.close();
    }

    @Test
    void everySpecTokenEncodesToItsSpecId() {
        SPEC_IDS.forEach((text, id) -> {
            assertArrayEquals(ids(1, id), t.tokenizer.encode(text), text);
            assertEquals(id, t.tokenizer.tokenId(text));
        });
    }

    @Test
    void specialTokensAreCutOutAndEachPlainRunGoesToSentencePiece() {
        assertArrayEquals(
                concat(ids(1, 92543), t.sp("user\nHello there"), ids(92542), t.sp(" and "), ids(92544)),
                t.tokenizer.encode("<|im_start|>user\nHello there<|im_end|> and <img>"));
    }

    @Test
    void bosComesFirstOnceAndLiteralBosTextIsAnotherBos() {
        assertArrayEquals(ids(1), t.tokenizer.encode(""));
        assertArrayEquals(concat(ids(1, 1), t.sp("hi")), t.tokenizer.encode("<s>hi"));
        assertEquals(1, t.tokenizer.bosId());
    }

    @Test
    void nestedAdjacentAndPartialTokenText() {
        assertArrayEquals(concat(ids(1), t.sp("<"), ids(92544), t.sp(">")), t.tokenizer.encode("<<img>>"));
        assertArrayEquals(ids(1, 92545, 92545, 92546), t.tokenizer.encode("</img></img><IMG_CONTEXT>"));
        assertArrayEquals(concat(ids(1), t.sp("<|im_end")), t.tokenizer.encode("<|im_end"));
        assertArrayEquals(concat(ids(1), t.sp("<image>")), t.tokenizer.encode("<image>"), "not an added token");
    }

    @Test
    void decodeDropsSpecialTokensAndStopsAtImEnd() {
        int[] generated = concat(
                t.sp("Hello"),
                ids(92546, 92544),
                t.sp("world"),
                ids(2, 1, 0),
                t.sp("again"),
                ids(92542),
                t.sp("never shown"),
                ids(92545));
        assertEquals("Hello world again", t.tokenizer.decode(generated));
        assertEquals("", t.tokenizer.decode(ids(92542, 92546)));
        assertEquals("", t.tokenizer.decode(ids()));
        assertEquals("", t.tokenizer.decode(ids(1, 92543, 92544, 92545)));
    }

    @Test
    void decodeKeepsGroundingTokensAsTheirTextAndDropsEachRunsDummyPrefix() {
        int[] generated = concat(
                t.sp("Total:"),
                ids(92549),
                t.sp("42 EUR"),
                ids(92550, 92551),
                t.sp("[[100, 200, 300, 250]]"),
                ids(92552, 92546),
                t.sp(" and"),
                ids(92547),
                t.sp("1,2"),
                ids(92548, 92542),
                t.sp("never shown"),
                ids(92549));
        assertEquals(
                "Total:<ref>42 EUR</ref><box>[[100, 200, 300, 250]]</box> and<quad>1,2</quad>",
                t.tokenizer.decode(generated));
        assertEquals(
                "<ref></ref><box></box><quad></quad>",
                t.tokenizer.decode(ids(1, 92549, 92550, 92546, 92551, 92552, 2, 92547, 92548)));
    }

    @Test
    void groundedTextRoundTripsWithItsSpacesAndBreaks() {
        String text = "Revenue <ref> grew 12%</ref><box>[[10, 20, 990, 80]]</box>\n  next <ref>two\nlines</ref>"
                + "<box>[[1, 2, 3, 4], [5, 6, 7, 8]]</box>";
        assertEquals(text, t.tokenizer.decode(t.tokenizer.encode(text)));
    }

    @Test
    void decodeRoundTripsPlainMultilingualText() {
        String text = "Grüße, мир, 世界 and 😀 — tabs\tand  double  spaces\n";
        assertEquals(text, t.tokenizer.decode(t.tokenizer.encode(text)));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> t.tokenizer.decode(ids(TestTokenizers.VOCAB_SIZE)));
        assertThrows(IllegalArgumentException.class, () -> t.tokenizer.decode(ids(-1)));
    }

    @Test
    void stopTokensAreImEndEosImStart() {
        assertEquals(List.of(92542, 2, 92543), List.copyOf(t.tokenizer.stopTokenIds()));
    }

    @Test
    void unknownTokenTextFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> t.tokenizer.tokenId("<image>"));
    }

    @Test
    void bosAndEosFollowTheConfig(@TempDir Path other) throws IOException {
        TokenizerFiles.write(other, TestTokenizers.VOCAB_SIZE, 3);
        editConfig(other, config -> config.put("add_bos_token", false).put("add_eos_token", true));
        try (Tokenizer tokenizer = Tokenizer.load(other)) {
            assertArrayEquals(concat(t.sp("hi"), ids(2)), tokenizer.encode("hi"));
        }
    }

    @Test
    void conflictingIdsBetweenTheTwoFilesAreRejected(@TempDir Path other) throws IOException {
        TokenizerFiles.write(other, TestTokenizers.VOCAB_SIZE, 3);
        Files.writeString(other.resolve(TokenizerSettings.ADDED_TOKENS_FILE), "{\"<img>\": 92550}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(other));
        assertTrue(e.getMessage().contains("<img>"), e.getMessage());
    }

    @Test
    void missingConfigIsAnError(@TempDir Path other) throws IOException {
        TokenizerFiles.write(other, TestTokenizers.VOCAB_SIZE, 3);
        Files.delete(other.resolve(TokenizerSettings.CONFIG_FILE));
        assertThrows(NoSuchFileException.class, () -> Tokenizer.load(other));
    }

    private static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path file = dir.resolve(TokenizerSettings.CONFIG_FILE);
        ObjectNode config = (ObjectNode) json.readTree(file.toFile());
        edit.accept(config);
        json.writeValue(file.toFile(), config);
    }
}
