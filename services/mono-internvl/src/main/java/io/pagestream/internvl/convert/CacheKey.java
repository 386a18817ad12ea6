package io.pagestream.internvl.convert;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.onnx.DecoderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Identifies a conversion: SHA-256 over the converter version, the options, the small JSON files of the checkpoint
 * (config, shard index, added tokens) and, for each {@code .safetensors} file, its name, size, modification time and
 * header bytes. Hashing 6 GB of weights on every start would take longer than loading them; a changed weight file
 * keeps its size only if rewritten in place, and then its modification time moves, so size + mtime + header is the
 * cheap key that still notices every realistic change (a re-download, a different shard, a different dtype).
 */
public final class CacheKey {
    static final List<String> SMALL_FILES =
            List.of(ConfigJson.FILE_NAME, Checkpoint.INDEX_FILE, ImageContextToken.ADDED_TOKENS_FILE);

    private CacheKey() {}

    public static String of(Path modelDir, DecoderOptions options) {
        MessageDigest digest = sha256();
        field(digest, "converter", Converter.VERSION);
        // Options added later append only when set, so that the keys of earlier conversions stay valid.
        field(
                digest,
                "options",
                options.dtype() + "/" + options.int4() + "/" + options.allLogits()
                        + (options.fp32Residual() ? "/fp32-residual" : ""));
        try {
            for (String name : SMALL_FILES) {
                Path file = modelDir.resolve(name);
                field(
                        digest,
                        name,
                        Files.isRegularFile(file) ? HexFormat.of().formatHex(Files.readAllBytes(file)) : "absent");
            }
            for (Path shard : shards(modelDir)) {
                field(digest, "shard", shard.getFileName().toString());
                field(digest, "size", Long.toString(Files.size(shard)));
                field(
                        digest,
                        "mtime",
                        Long.toString(Files.getLastModifiedTime(shard).toMillis()));
                digest.update(header(shard));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(modelDir + ": cannot read for the cache key: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static TreeSet<Path> shards(Path modelDir) throws IOException {
        try (Stream<Path> files = Files.list(modelDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".safetensors"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** The 8-byte length and the JSON header; capped so that a corrupt length cannot make this read the weights. */
    private static ByteBuffer header(Path shard) throws IOException {
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(length, 0);
            long headerBytes = length.flip().remaining() == 8 ? length.getLong(0) : 0;
            int capped = (int) Math.max(0, Math.min(headerBytes, Math.min(channel.size() - 8, 100L << 20)));
            ByteBuffer header = ByteBuffer.allocate(8 + capped);
            channel.read(header, 0);
            return header.flip();
        }
    }

    private static void field(MessageDigest digest, String key, String value) {
        digest.update((key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
