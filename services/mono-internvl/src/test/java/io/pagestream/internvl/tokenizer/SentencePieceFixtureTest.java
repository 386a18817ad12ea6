package io.pagestream.internvl.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.internvl.tokenizer.TokenizerFixtures.Fixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the writer, DJL's SentencePiece and the {@link Tokenizer} against Python's SentencePiece: the expected
 * files come from {@code src/test/python/make_tokenizer_fixtures.py}, run on models this writer produced. Each
 * model is rebuilt here and must hash to what Python read, so the expectations cannot silently go stale.
 */
class SentencePieceFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MULTILINGUAL_CASES = 30;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small", "full"})
    void rebuiltModelIsTheOnePythonTokenized(String name) throws IOException {
        Fixture fixture = TokenizerFixtures.named(name);
        JsonNode model = expected(fixture).path("model");
        byte[] bytes = modelBytes(fixture);
        assertEquals(model.path("sha256").asText(), sha256(bytes));
        assertEquals(
                model.path("pieces").asInt(),
                SentencePieceModel.parse(bytes).pieces().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "full"})
    void pythonSawAnInternLm2ShapedBpeModel(String name) throws IOException {
        Fixture fixture = TokenizerFixtures.named(name);
        JsonNode model = expected(fixture).path("model");
        int pieces = fixture.vocabSize() - InternLm2Tokens.ADDED_TOKENS.size();
        assertEquals(pieces, model.path("piece_size").asInt());
        assertEquals(2, model.path("trainer").path("model_type").asInt(), "BPE");
        assertEquals(1, model.path("trainer").path("byte_fallback").asInt());
        assertEquals(pieces, model.path("trainer").path("vocab_size").asInt());
        assertEquals(List.of(0, 1, 2, -1), ints(model, "unk_id", "bos_id", "eos_id", "pad_id"));
        assertEquals("[3,256]", model.path("byte_ids").toString(), "first byte piece and byte piece count");
        assertEquals("[1,2]", model.path("control_ids").toString());
        assertEquals(6, model.path("piece_types").path("4").asInt(), "user-defined pieces");
        assertEquals("[UNUSED_TOKEN_145]", model.path("last_pieces").get(4).asText());
        assertTrue(model.path("scores_decrease").asBoolean());
        assertEquals("identity", model.path("normalizer").path("name").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "full"})
    void djlSentencePieceEncodesAsPythonDoes(String name) throws IOException {
        Fixture fixture = TokenizerFixtures.named(name);
        try (SpTokenizer sentencePiece = new SpTokenizer(modelBytes(fixture))) {
            SpProcessor processor = sentencePiece.getProcessor();
            for (JsonNode c : cases(fixture)) {
                String text = c.path("text").asText();
                assertArrayEquals(intArray(c.path("sp_ids")), processor.encode(text), () -> "ids of " + text);
                assertEquals(strings(c.path("sp_pieces")), sentencePiece.tokenize(text), () -> "pieces of " + text);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "full"})
    void pieceDecoderDecodesAsPythonDoes(String name) throws IOException {
        Fixture fixture = TokenizerFixtures.named(name);
        PieceDecoder decoder = new PieceDecoder(SentencePieceModel.parse(modelBytes(fixture)));
        for (JsonNode c : cases(fixture)) {
            assertEquals(
                    c.path("sp_decoded").asText(),
                    decoder.decode(intArray(c.path("sp_ids"))),
                    () -> "decoded " + c.path("text").asText());
        }
        List<JsonNode> decodeCases = new ArrayList<>();
        expected(fixture).path("decode_cases").forEach(decodeCases::add);
        assertEquals(15, decodeCases.size());
        for (JsonNode c : decodeCases) {
            assertEquals(c.path("text").asText(), decoder.decode(intArray(c.path("ids"))), c.path("ids")::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "full"})
    void tokenizerMatchesPythonSplittingAndDecoding(String name) throws IOException {
        Fixture fixture = TokenizerFixtures.named(name);
        fixture.write(dir);
        try (Tokenizer tokenizer = Tokenizer.load(dir.resolve(name))) {
            for (JsonNode c : cases(fixture)) {
                String text = c.path("text").asText();
                int[] ids = tokenizer.encode(text);
                assertArrayEquals(intArray(c.path("ids")), ids, () -> "ids of " + text);
                assertEquals(c.path("decoded").asText(), tokenizer.decode(ids), () -> "decoded " + text);
            }
        }
    }

    @Test
    void committedSmallDirectoryIsWhatTheWriterProduces() throws IOException {
        TokenizerFixtures.SMALL.write(dir);
        Path committed = TokenizerFixtures.ROOT.resolve("small");
        try (Stream<Path> files = Files.list(committed)) {
            List<Path> names = files.map(Path::getFileName).sorted().toList();
            assertEquals(4, names.size());
            for (Path file : names) {
                assertArrayEquals(
                        Files.readAllBytes(committed.resolve(file)),
                        Files.readAllBytes(dir.resolve("small").resolve(file)),
                        file::toString);
            }
        }
    }

    @Test
    void fixtureTextsCoverTheHardCases() throws IOException {
        List<JsonNode> cases = cases(TokenizerFixtures.FULL);
        assertEquals(MULTILINGUAL_CASES, cases.size());
        assertTrue(cases.stream().anyMatch(c -> c.path("sp_pieces").toString().contains("<0xF0>")), "byte fallback");
        assertTrue(cases.stream().anyMatch(c -> c.path("text").asText().isEmpty()));
        assertFalse(
                cases.stream()
                        .allMatch(c -> c.path("ids").size() == c.path("sp_ids").size() + 1),
                "some texts must contain added tokens");
    }

    private byte[] modelBytes(Fixture fixture) throws IOException {
        fixture.write(dir);
        return Files.readAllBytes(dir.resolve(fixture.name()).resolve(Tokenizer.MODEL_FILE));
    }

    private static JsonNode expected(Fixture fixture) throws IOException {
        return JSON.readTree(fixture.expectedFile().toFile());
    }

    private static List<JsonNode> cases(Fixture fixture) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        expected(fixture).path("cases").forEach(cases::add);
        return cases;
    }

    private static List<Integer> ints(JsonNode node, String... keys) {
        return Stream.of(keys).map(k -> node.path(k).asInt()).toList();
    }

    private static int[] intArray(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
