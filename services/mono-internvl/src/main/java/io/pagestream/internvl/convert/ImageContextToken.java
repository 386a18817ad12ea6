package io.pagestream.internvl.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The id of {@code <IMG_CONTEXT>}, which the embedding graph replaces with image rows: from the checkpoint's
 * {@code added_tokens.json} when present, else the published Mono-InternVL-2B value (spec section 1).
 */
public final class ImageContextToken {
    static final String ADDED_TOKENS_FILE = "added_tokens.json";
    static final String TOKEN = "<IMG_CONTEXT>";
    static final int DEFAULT_ID = 92546;

    private ImageContextToken() {}

    public static int id(Path modelDir) {
        Path file = modelDir.resolve(ADDED_TOKENS_FILE);
        if (!Files.isRegularFile(file)) {
            return DEFAULT_ID;
        }
        try {
            JsonNode id = JsonMapper.builder().build().readTree(file.toFile()).get(TOKEN);
            if (id == null || !id.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": no integer id for " + TOKEN);
            }
            return id.intValue();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
