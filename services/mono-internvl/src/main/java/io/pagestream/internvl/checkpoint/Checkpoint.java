package io.pagestream.internvl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tensors of a safetensors checkpoint directory, either one {@code model.safetensors} or shards listed by
 * {@code model.safetensors.index.json}. Opening reads and cross-checks the headers only. Tensor data is memory-mapped,
 * never read into the heap, one mapping per tensor: a single mapping is limited to 2 GiB while shards are ~5 GB, and
 * per-tensor mappings let the OS page weights in on first touch. Safe for concurrent readers.
 */
public final class Checkpoint {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path dir;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, MappedByteBuffer> mappings = new ConcurrentHashMap<>();

    private Checkpoint(Path dir, Map<String, TensorInfo> tensors) {
        this.dir = dir;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static Checkpoint open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return new Checkpoint(dir, sharded(dir, index));
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return new Checkpoint(
                    dir, new LinkedHashMap<>(SafetensorsFile.read(single).tensors()));
        }
        throw new CheckpointException(dir + ": neither " + INDEX_FILE + " nor " + SINGLE_FILE + " found");
    }

    private static Map<String, TensorInfo> sharded(Path dir, Path index) {
        Map<String, String> weightMap = weightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        for (String shardName : new LinkedHashSet<>(weightMap.values())) {
            Path shard = dir.resolve(shardName).toAbsolutePath().normalize();
            if (!dir.toAbsolutePath().normalize().equals(shard.getParent()) || !Files.isRegularFile(shard)) {
                throw new CheckpointException(index + ": shard '" + shardName + "' is not a file in " + dir);
            }
            shards.put(shardName, SafetensorsFile.read(shard));
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : weightMap.entrySet()) {
            TensorInfo info = shards.get(entry.getValue()).tensors().get(entry.getKey());
            if (info == null) {
                throw new CheckpointException(index + ": tensor '" + entry.getKey() + "' is mapped to shard '"
                        + entry.getValue() + "', which does not contain it");
            }
            tensors.put(entry.getKey(), info);
        }
        for (SafetensorsFile shard : shards.values()) {
            for (String name : shard.tensors().keySet()) {
                if (!shard.file().getFileName().toString().equals(weightMap.get(name))) {
                    throw new CheckpointException(shard.file() + ": tensor '" + name
                            + "' is not mapped to this shard by " + index.getFileName());
                }
            }
        }
        return tensors;
    }

    private static Map<String, String> weightMap(Path index) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(index, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(index + ": no weight_map object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new CheckpointException(
                        index + ": weight_map." + entry.getKey() + " = " + entry.getValue() + " is not a file name");
            }
            weightMap.put(entry.getKey(), entry.getValue().textValue());
        }
        return weightMap;
    }

    public Path dir() {
        return dir;
    }

    /** Tensor names, in index (or header) order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new CheckpointException(dir + ": no tensor '" + name + "'");
        }
        return info;
    }

    /**
     * The tensor's bytes as a read-only, little-endian view of the file mapping, positioned at its first element.
     * Each call returns a fresh view, so callers may move its position freely.
     */
    public ByteBuffer bytes(String name) {
        return mapping(info(name)).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The tensor widened to float32 in a new heap array. */
    public float[] toFloatArray(String name) {
        TensorInfo info = info(name);
        ByteBuffer bytes = bytes(name);
        float[] values = new float[(int) info.elementCount()];
        if (info.dtype() == DType.F32) {
            bytes.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = info.dtype().get(bytes, i);
            }
        }
        return values;
    }

    /** The tensor as floats: a zero-copy view of the mapping for F32, a widened heap copy for 16-bit types. */
    public FloatBuffer toFloatBuffer(String name) {
        if (info(name).dtype() == DType.F32) {
            return bytes(name).asFloatBuffer();
        }
        return FloatBuffer.wrap(toFloatArray(name)).asReadOnlyBuffer();
    }

    private MappedByteBuffer mapping(TensorInfo info) {
        return mappings.computeIfAbsent(info.name(), name -> map(info));
    }

    private static MappedByteBuffer map(TensorInfo info) {
        if (info.length() > Integer.MAX_VALUE) {
            throw new CheckpointException(info.file() + ": tensor '" + info.name() + "' is " + info.length()
                    + " bytes; tensors over 2 GiB cannot be mapped");
        }
        try (FileChannel channel = FileChannel.open(info.file(), StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, info.offset(), info.length());
        } catch (IOException e) {
            throw new CheckpointException(
                    info.file() + ": cannot map tensor '" + info.name() + "': " + e.getMessage(), e);
        }
    }
}
