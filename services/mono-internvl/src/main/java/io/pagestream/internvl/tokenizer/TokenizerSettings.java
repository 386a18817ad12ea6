package io.pagestream.internvl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a HuggingFace tokenizer directory says beyond the SentencePiece model: BOS/EOS handling and the added tokens.
 * InternLM2 names its chat tokens only here ({@code added_tokens_decoder}), so ids come from these files, never from
 * the model's piece strings.
 */
public record TokenizerSettings(boolean addBos, boolean addEos, String bosToken, String eosToken, AddedTokens added) {
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String ADDED_TOKENS_FILE = "added_tokens.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public TokenizerSettings {
        added.idOf(bosToken);
        added.idOf(eosToken);
    }

    public int bosId() {
        return added.idOf(bosToken);
    }

    public int eosId() {
        return added.idOf(eosToken);
    }

    /**
     * Reads {@code tokenizer_config.json} (required) and {@code added_tokens.json} (optional). Defaults follow
     * InternLM2's tokenizer class: BOS added, EOS not. Tokens listed only in {@code added_tokens.json} count as
     * special, as InternVL registers its image tokens.
     */
    public static TokenizerSettings read(Path dir) throws IOException {
        JsonNode config = readJson(dir.resolve(CONFIG_FILE));
        Map<String, Integer> ids = new HashMap<>();
        Set<Integer> special = new HashSet<>();
        config.path("added_tokens_decoder").properties().forEach(entry -> {
            int id = Integer.parseInt(entry.getKey());
            put(ids, entry.getValue().path("content").asText(), id);
            if (entry.getValue().path("special").asBoolean(false)) {
                special.add(id);
            }
        });
        Path addedFile = dir.resolve(ADDED_TOKENS_FILE);
        if (Files.exists(addedFile)) {
            readJson(addedFile).properties().forEach(entry -> {
                int id = entry.getValue().asInt();
                if (!ids.containsKey(entry.getKey())) {
                    special.add(id);
                }
                put(ids, entry.getKey(), id);
            });
        }
        return new TokenizerSettings(
                config.path("add_bos_token").asBoolean(true),
                config.path("add_eos_token").asBoolean(false),
                tokenText(config, "bos_token"),
                tokenText(config, "eos_token"),
                new AddedTokens(ids, special));
    }

    /** Through NIO, so a missing file is reported as {@link java.nio.file.NoSuchFileException} with its path. */
    private static JsonNode readJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        }
    }

    private static void put(Map<String, Integer> ids, String text, int id) {
        Integer previous = ids.put(text, id);
        if (previous != null && previous != id) {
            throw new IllegalArgumentException("token " + text + " has two ids: " + previous + " and " + id);
        }
    }

    /** HF writes a special token either as a plain string or as an object with {@code content}. */
    private static String tokenText(JsonNode config, String key) {
        JsonNode node = config.path(key);
        String text = node.isObject() ? node.path("content").asText(null) : node.asText(null);
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(CONFIG_FILE + " has no " + key);
        }
        return text;
    }
}
