package io.pagestream.internvl.convert;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.Int4Options;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code conversion.json}: written last, so its presence with a matching key means the graphs next to it are complete.
 *
 * @param converterVersion   {@link Converter#VERSION} of the converter that wrote it
 * @param cacheKey           {@link CacheKey} of the checkpoint and options
 * @param dtype              the conversion dtype
 * @param allLogits          whether the decoder returns logits for every position or only each row's last
 * @param imageContextId     the token the embedding graph replaces with image rows
 * @param maxPositions       rows of the rotary tables: the engine must refuse longer sequences
 * @param tokensPerTile      projector rows per image tile
 * @param seconds            how long the conversion took
 * @param int4               the quantisation options (part of the cache key); null in manifests written before they
 *                           were recorded, which used {@link Int4Options#DEFAULT}
 * @param fp32Residual       {@link DecoderOptions#fp32Residual()} (part of the cache key); absent, so false, in
 *                           manifests written before it existed
 */
public record Manifest(
        String converterVersion,
        String cacheKey,
        String dtype,
        boolean allLogits,
        int imageContextId,
        int maxPositions,
        int tokensPerTile,
        double seconds,
        Int4Options int4,
        boolean fp32Residual) {
    public static final String FILE_NAME = "conversion.json";

    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** The manifest in {@code dir}, or null when there is none or it cannot be read (then the conversion reruns). */
    public static Manifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return MAPPER.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** The options the conversion was made with, enough to recompute its cache key. */
    public DecoderOptions decoderOptions() {
        return new DecoderOptions(
                TargetDtype.valueOf(dtype), int4 == null ? Int4Options.DEFAULT : int4, allLogits, fp32Residual);
    }

    /** Writes through a temporary file and a rename, so a crash never leaves a half-written manifest. */
    public void write(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        try {
            MAPPER.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
