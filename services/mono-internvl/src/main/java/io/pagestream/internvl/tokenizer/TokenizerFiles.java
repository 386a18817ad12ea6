package io.pagestream.internvl.tokenizer;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the tokenizer files of a Mono-InternVL checkpoint directory for a synthetic vocabulary: the four files the
 * real checkpoint ships, with the keys of {@code internlm/internlm2-chat-1_8b}'s {@code tokenizer_config.json} and
 * InternVL's nine added tokens after the base vocabulary. Keys are sorted, as HuggingFace saves them.
 *
 * <p>Not read from the real Mono-InternVL files: {@code model_max_length} (8192 here, InternVL 2's context) and the
 * {@code chat_template}, which here spells the MPT-style prompt InternVL actually builds (no newline after
 * {@code <|im_end|>}); InternVL's {@code chat()} never uses it.
 */
public final class TokenizerFiles {
    public static final String SPECIAL_TOKENS_MAP_FILE = "special_tokens_map.json";
    static final int MODEL_MAX_LENGTH = 8192;
    static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /** Python's {@code json.dumps(indent=2)} layout: {@code "key": value}, one array element per line. */
    private static final ObjectWriter JSON = new ObjectMapper()
            .writer(new DefaultPrettyPrinter()
                    .withSeparators(
                            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                    .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private TokenizerFiles() {}

    /**
     * @param vocabSize the LLM's vocabulary ({@code llm_config.vocab_size}, 92553 for the real model): the
     *                  SentencePiece model gets {@code vocabSize - 9} pieces and the added tokens the last nine ids
     */
    public static void write(Path dir, int vocabSize, long seed) throws IOException {
        int baseSize = vocabSize - InternLm2Tokens.ADDED_TOKENS.size();
        Files.createDirectories(dir);
        SentencePieceModelWriter.writeSynthetic(dir.resolve(Tokenizer.MODEL_FILE), baseSize, seed);
        writeJson(dir.resolve(TokenizerSettings.ADDED_TOKENS_FILE), addedTokens(baseSize));
        writeJson(dir.resolve(SPECIAL_TOKENS_MAP_FILE), specialTokensMap());
        writeJson(dir.resolve(TokenizerSettings.CONFIG_FILE), tokenizerConfig(baseSize));
    }

    private static Map<String, Object> addedTokens(int baseSize) {
        Map<String, Object> added = new TreeMap<>();
        for (int i = 0; i < InternLm2Tokens.ADDED_TOKENS.size(); i++) {
            added.put(InternLm2Tokens.ADDED_TOKENS.get(i), baseSize + i);
        }
        return added;
    }

    private static Map<String, Object> specialTokensMap() {
        Map<String, Object> map = new TreeMap<>();
        map.put("additional_special_tokens", additionalSpecialTokens());
        map.put("bos_token", tokenObject(InternLm2Tokens.BOS, false));
        map.put("eos_token", tokenObject(InternLm2Tokens.EOS, false));
        map.put("pad_token", tokenObject(InternLm2Tokens.EOS, false));
        map.put("unk_token", tokenObject(InternLm2Tokens.UNK, false));
        return map;
    }

    private static Map<String, Object> tokenizerConfig(int baseSize) {
        Map<String, Object> config = new TreeMap<>();
        config.put("add_bos_token", true);
        config.put("add_eos_token", false);
        config.put("added_tokens_decoder", addedTokensDecoder(baseSize));
        config.put("additional_special_tokens", additionalSpecialTokens());
        config.put(
                "auto_map",
                Map.of(
                        "AutoTokenizer",
                        List.of(
                                "tokenization_internlm2.InternLM2Tokenizer",
                                "tokenization_internlm2_fast.InternLM2TokenizerFast")));
        config.put("bos_token", InternLm2Tokens.BOS);
        config.put("chat_template", CHAT_TEMPLATE);
        config.put("clean_up_tokenization_spaces", false);
        config.put("decode_with_prefix_space", false);
        config.put("eos_token", InternLm2Tokens.EOS);
        config.put("model_max_length", MODEL_MAX_LENGTH);
        config.put("pad_token", InternLm2Tokens.EOS);
        config.put("sp_model_kwargs", null);
        config.put("tokenizer_class", "InternLM2Tokenizer");
        config.put("unk_token", InternLm2Tokens.UNK);
        return config;
    }

    /** Keys are decimal ids sorted as strings, which is what HuggingFace's {@code sort_keys} produces. */
    private static Map<String, Object> addedTokensDecoder(int baseSize) {
        Map<String, Object> decoder = new TreeMap<>();
        List<String> leading = List.of(InternLm2Tokens.UNK, InternLm2Tokens.BOS, InternLm2Tokens.EOS);
        for (int id = 0; id < leading.size(); id++) {
            decoder.put(Integer.toString(id), tokenObject(leading.get(id), true));
        }
        int firstChat = baseSize - InternLm2Tokens.CHAT_TOKENS.size();
        for (int i = 0; i < InternLm2Tokens.CHAT_TOKENS.size(); i++) {
            decoder.put(Integer.toString(firstChat + i), tokenObject(InternLm2Tokens.CHAT_TOKENS.get(i), true));
        }
        for (int i = 0; i < InternLm2Tokens.ADDED_TOKENS.size(); i++) {
            decoder.put(Integer.toString(baseSize + i), tokenObject(InternLm2Tokens.ADDED_TOKENS.get(i), true));
        }
        return decoder;
    }

    /** The real file lists them from {@code <|im_start|>} down to {@code <|plugin|>}: the reverse of id order. */
    private static List<String> additionalSpecialTokens() {
        return InternLm2Tokens.CHAT_TOKENS.reversed();
    }

    private static Map<String, Object> tokenObject(String content, boolean withSpecialFlag) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("content", content);
        token.put("lstrip", false);
        token.put("normalized", false);
        token.put("rstrip", false);
        token.put("single_word", false);
        if (withSpecialFlag) {
            token.put("special", true);
        }
        return token;
    }

    private static void writeJson(Path file, Map<String, Object> content) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(content) + "\n");
    }
}
