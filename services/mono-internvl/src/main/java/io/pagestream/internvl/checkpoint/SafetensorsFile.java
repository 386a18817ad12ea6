package io.pagestream.internvl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of one {@code .safetensors} file: an 8-byte little-endian length, that many bytes of JSON mapping each
 * tensor name to its dtype, shape and {@code data_offsets} (relative to the end of the header), and an optional
 * {@code __metadata__} map of strings. Only the header is read here; tensor data stays on disk.
 *
 * @param tensors  by name, in header order
 * @param metadata the {@code __metadata__} entries, empty when absent
 */
public record SafetensorsFile(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    public static final String METADATA_KEY = "__metadata__";

    /** The reference implementation refuses larger headers; a bigger value means a corrupt or foreign file. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static SafetensorsFile read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(file + ": " + size + " bytes, too short for a safetensors header length");
            }
            long headerLength =
                    readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 0 || headerLength > size - 8 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " is impossible for a file of " + size + " bytes");
            }
            ByteBuffer header = readFully(channel, 8, (int) headerLength);
            String json = StandardCharsets.UTF_8.decode(header).toString();
            return parse(file, json, 8 + headerLength, size);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    private static SafetensorsFile parse(Path file, String json, long dataStart, long fileSize) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + ": header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                metadata(file, entry.getValue(), metadata);
            } else {
                TensorInfo info = tensor(file, entry.getKey(), entry.getValue(), dataStart, fileSize);
                tensors.put(info.name(), info);
            }
        }
        checkNoOverlap(file, tensors.values());
        return new SafetensorsFile(file, tensors, metadata);
    }

    private static void metadata(Path file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw new CheckpointException(file + ": " + METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new CheckpointException(file + ": " + METADATA_KEY + "." + entry.getKey() + " = "
                        + entry.getValue() + " is not a string");
            }
            into.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo tensor(Path file, String name, JsonNode node, long dataStart, long fileSize) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointException(where + " is not described by a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointException(where + " has no dtype string");
        }
        DType dtype = DType.parse(dtypeNode.textValue(), where);
        List<Integer> shape = new ArrayList<>();
        for (long dim : longs(node.get("shape"), -1, where + " shape")) {
            if (dim > Integer.MAX_VALUE) {
                throw new CheckpointException(where + " has dimension " + dim + ", too large to index");
            }
            shape.add((int) dim);
        }
        long[] offsets = longs(node.get("data_offsets"), 2, where + " data_offsets");
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > fileSize - dataStart) {
            throw new CheckpointException(where + " data_offsets [" + begin + ", " + end + "] lie outside the "
                    + (fileSize - dataStart) + " data bytes of the file (truncated?)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException(where + " shape " + shape + " has too many elements");
        }
        if (expected != end - begin) {
            throw new CheckpointException(where + " shape " + shape + " of " + dtype + " needs " + expected
                    + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, file, dataStart + begin, end - begin);
    }

    private static long[] longs(JsonNode node, int requiredLength, String what) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new CheckpointException(what + " is not an array"
                    + (requiredLength >= 0 ? " of " + requiredLength : "") + " of non-negative integers: " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw new CheckpointException(what + " is not an array of non-negative integers: " + node);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> tensors) {
        List<TensorInfo> sorted = new ArrayList<>();
        tensors.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::offset).thenComparingLong(TensorInfo::length));
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (previous != null && t.offset() < previous.offset() + previous.length()) {
                throw new CheckpointException(
                        file + ": tensors '" + previous.name() + "' and '" + t.name() + "' overlap");
            }
            if (t.length() > 0) {
                previous = t;
            }
        }
    }
}
