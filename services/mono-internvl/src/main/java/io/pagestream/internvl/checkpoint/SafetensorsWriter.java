package io.pagestream.internvl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files and sharded checkpoint directories (for random test checkpoints and converters). Values
 * are asked for one tensor at a time and streamed through a small buffer, so only one tensor is ever in memory.
 */
public final class SafetensorsWriter {
    /** Supplies a tensor's values, row-major, exactly {@link TensorSpec#elementCount()} of them. */
    @FunctionalInterface
    public interface TensorSource {
        float[] values(TensorSpec spec);
    }

    /** The {@code __metadata__} PyTorch's safetensors writer adds; HF loaders look for it. */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

    private static final int BUFFER_BYTES = 1 << 20;
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private SafetensorsWriter() {}

    /**
     * Writes {@code dir/model.safetensors} when all tensors fit in {@code maxShardBytes}, otherwise shards of at most
     * that size (a larger tensor gets a shard of its own) named like HF's plus {@code model.safetensors.index.json}.
     */
    public static void writeCheckpoint(Path dir, List<TensorSpec> specs, long maxShardBytes, TensorSource source) {
        List<List<TensorSpec>> shards = split(specs, maxShardBytes);
        if (shards.size() == 1) {
            writeFile(dir.resolve(Checkpoint.SINGLE_FILE), specs, PT_METADATA, source);
            return;
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalSize = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            writeFile(dir.resolve(name), shards.get(i), PT_METADATA, source);
            for (TensorSpec spec : shards.get(i)) {
                weightMap.put(spec.name(), name);
                totalSize += spec.byteLength();
            }
        }
        writeIndex(dir.resolve(Checkpoint.INDEX_FILE), totalSize, weightMap);
    }

    private static List<List<TensorSpec>> split(List<TensorSpec> specs, long maxShardBytes) {
        List<List<TensorSpec>> shards = new ArrayList<>();
        List<TensorSpec> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorSpec spec : specs) {
            if (!current.isEmpty() && currentBytes + spec.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(spec);
            currentBytes += spec.byteLength();
        }
        shards.add(current);
        return shards;
    }

    private static void writeIndex(Path file, long totalSize, Map<String, String> weightMap) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        try {
            Files.writeString(file, MAPPER.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes one safetensors file holding {@code specs} in order. */
    public static void writeFile(Path file, List<TensorSpec> specs, Map<String, String> metadata, TensorSource source) {
        byte[] header = header(specs, metadata);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(header.length);
            drain(channel, buffer);
            writeAll(channel, ByteBuffer.wrap(header));
            for (TensorSpec spec : specs) {
                float[] values = source.values(spec);
                if (values.length != spec.elementCount()) {
                    throw new IllegalArgumentException(spec.name() + ": expected " + spec.elementCount()
                            + " values for shape " + spec.shape() + ", got " + values.length);
                }
                for (float value : values) {
                    if (buffer.remaining() < spec.dtype().byteSize()) {
                        drain(channel, buffer);
                    }
                    spec.dtype().put(buffer, value);
                }
            }
            drain(channel, buffer);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        writeAll(channel, buffer.flip());
        buffer.clear();
    }

    private static void writeAll(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The header JSON, space-padded to a multiple of 8 bytes so that the data after it starts 8-byte aligned. */
    static byte[] header(List<TensorSpec> specs, Map<String, String> metadata) {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (TensorSpec spec : specs) {
            if (root.has(spec.name()) || spec.name().equals(SafetensorsFile.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name used twice or reserved: " + spec.name());
            }
            ObjectNode entry = root.putObject(spec.name());
            entry.put("dtype", spec.dtype().name());
            spec.shape().forEach(entry.putArray("shape")::add);
            entry.putArray("data_offsets").add(offset).add(offset + spec.byteLength());
            offset += spec.byteLength();
        }
        String json;
        try {
            json = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) / 8 * 8;
        byte[] header = new byte[padded];
        System.arraycopy(bytes, 0, header, 0, bytes.length);
        Arrays.fill(header, bytes.length, padded, (byte) ' ');
        return header;
    }
}
