package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws IOException {
        TokenizerFiles.write(dir, 92553, 11);
    }

    @Test
    void writesTheFourFilesOfTheRealCheckpoint() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("added_tokens.json", "special_tokens_map.json", "tokenizer.model", "tokenizer_config.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void addedTokensAreTheNineImageAndBoxTokens() throws IOException {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("</box>", 92552);
        expected.put("</img>", 92545);
        expected.put("</quad>", 92548);
        expected.put("</ref>", 92550);
        expected.put("<IMG_CONTEXT>", 92546);
        expected.put("<box>", 92551);
        expected.put("<img>", 92544);
        expected.put("<quad>", 92547);
        expected.put("<ref>", 92549);
        JsonNode added = read(TokenizerSettings.ADDED_TOKENS_FILE);
        Map<String, Integer> actual = new LinkedHashMap<>();
        added.properties().forEach(e -> actual.put(e.getKey(), e.getValue().asInt()));
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(actual.entrySet()), "sorted keys, spec ids");
    }

    @Test
    void tokenizerConfigHasInternLm2KeysAndDecoderEntries() throws IOException {
        JsonNode config = read(TokenizerSettings.CONFIG_FILE);
        assertEquals(
                List.of(
                        "add_bos_token",
                        "add_eos_token",
                        "added_tokens_decoder",
                        "additional_special_tokens",
                        "auto_map",
                        "bos_token",
                        "chat_template",
                        "clean_up_tokenization_spaces",
                        "decode_with_prefix_space",
                        "eos_token",
                        "model_max_length",
                        "pad_token",
                        "sp_model_kwargs",
                        "tokenizer_class",
                        "unk_token"),
                keys(config));
        assertTrue(config.path("add_bos_token").asBoolean());
        assertFalse(config.path("add_eos_token").asBoolean(true));
        assertEquals("InternLM2Tokenizer", config.path("tokenizer_class").asText());
        assertEquals(8192, config.path("model_max_length").asInt());
        assertTrue(config.path("sp_model_kwargs").isNull());
        assertEquals("<s>", config.path("bos_token").asText());
        assertEquals("</s>", config.path("pad_token").asText());

        JsonNode decoder = config.path("added_tokens_decoder");
        assertEquals(
                List.of(
                        "0", "1", "2", "92538", "92539", "92540", "92541", "92542", "92543", "92544", "92545", "92546",
                        "92547", "92548", "92549", "92550", "92551", "92552"),
                keys(decoder));
        assertEquals("<|im_end|>", decoder.path("92542").path("content").asText());
        assertEquals("<|plugin|>", decoder.path("92538").path("content").asText());
        assertEquals("<IMG_CONTEXT>", decoder.path("92546").path("content").asText());
        decoder.forEach(token -> {
            assertTrue(token.path("special").asBoolean());
            assertEquals(List.of("content", "lstrip", "normalized", "rstrip", "single_word", "special"), keys(token));
        });
        assertEquals(
                "[\"<|im_start|>\",\"<|im_end|>\",\"<|action_start|>\",\"<|action_end|>\",\"<|interpreter|>\","
                        + "\"<|plugin|>\"]",
                config.path("additional_special_tokens").toString());
    }

    @Test
    void chatTemplateSpellsTheMptPrompt() throws IOException {
        String template =
                read(TokenizerSettings.CONFIG_FILE).path("chat_template").asText();
        assertTrue(template.contains("'<|im_end|>' }}{% endfor %}"), "no newline after <|im_end|>");
        assertTrue(template.contains("'<|im_start|>assistant\n'"));
    }

    @Test
    void specialTokensMapNamesBosEosPadUnk() throws IOException {
        JsonNode map = read(TokenizerFiles.SPECIAL_TOKENS_MAP_FILE);
        assertEquals(
                List.of("additional_special_tokens", "bos_token", "eos_token", "pad_token", "unk_token"), keys(map));
        assertEquals("</s>", map.path("eos_token").path("content").asText());
        assertEquals("<unk>", map.path("unk_token").path("content").asText());
    }

    @Test
    void jsonUsesPythonsIndentedLayout() throws IOException {
        String text = Files.readString(dir.resolve(TokenizerSettings.CONFIG_FILE));
        assertTrue(text.startsWith("{\n  \"add_bos_token\": true,\n"), text.substring(0, 40));
        assertTrue(text.contains("\"additional_special_tokens\": [\n    \"<|im_start|>\",\n"));
    }

    @Test
    void modelHasTheBaseVocabularyAndTheFilesLoad() throws IOException {
        byte[] model = Files.readAllBytes(dir.resolve(Tokenizer.MODEL_FILE));
        assertEquals(92544, SentencePieceModel.parse(model).pieces().size());
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            assertEquals(92546, tokenizer.tokenId("<IMG_CONTEXT>"));
            assertEquals(92543, tokenizer.tokenId("<|im_start|>"));
        }
    }

    @Test
    void smallVocabulariesMoveTheSpecialIdsAlong(@TempDir Path small) throws IOException {
        TokenizerFiles.write(small, 1009, 11);
        try (Tokenizer tokenizer = Tokenizer.load(small)) {
            assertEquals(998, tokenizer.tokenId("<|im_end|>"));
            assertEquals(1000, tokenizer.tokenId("<img>"));
            assertEquals(1008, tokenizer.tokenId("</box>"));
            assertArrayEquals(new int[] {1, 999, 1002}, tokenizer.encode("<|im_start|><IMG_CONTEXT>"));
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherModel(@TempDir Path again) throws IOException {
        TokenizerFiles.write(again.resolve("same"), 92553, 11);
        TokenizerFiles.write(again.resolve("other"), 92553, 12);
        byte[] original = Files.readAllBytes(dir.resolve(Tokenizer.MODEL_FILE));
        assertArrayEquals(original, Files.readAllBytes(again.resolve("same").resolve(Tokenizer.MODEL_FILE)));
        assertFalse(Arrays.equals(
                original, Files.readAllBytes(again.resolve("other").resolve(Tokenizer.MODEL_FILE))));
    }

    @Test
    void rejectsVocabulariesTooSmallForTheFixedPieces(@TempDir Path tiny) {
        assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.write(tiny, 100, 1));
    }

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(dir.resolve(file).toFile());
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.properties().forEach(e -> keys.add(e.getKey()));
        return keys;
    }
}
