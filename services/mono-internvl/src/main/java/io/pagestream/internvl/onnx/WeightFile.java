package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The external-data file next to a {@code model.onnx}. Every tensor starts at a multiple of {@link #ALIGNMENT}, the
 * page size, so that ONNX Runtime can memory-map the file instead of copying weights into its own heap.
 *
 * <p>A name stands for one tensor in a file: it is written once, and a later graph built over the same file (a second
 * {@code .onnx} in the same directory, since ONNX Runtime resolves the location relative to the model file) gets the
 * proto of the bytes already there. Graphs that share weights then share one copy on disk and in the page cache.
 */
public final class WeightFile implements Closeable {
    public static final int ALIGNMENT = 4096;

    private final Path file;
    private final FileChannel channel;
    private final ByteSink sink;
    private final Map<String, TensorProto> written = new HashMap<>();

    public WeightFile(Path file) {
        this.file = file;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot create: " + e.getMessage(), e);
        }
        sink = new ByteSink(channel);
    }

    /**
     * Appends the tensor's bytes and returns its proto, which refers to them by file name, offset and length; a name
     * written before returns its earlier proto without touching {@code data}, so lazy data is never computed twice.
     */
    public TensorProto write(String name, TensorProto.DataType type, List<Long> dims, TensorData data) {
        TensorProto earlier = written.get(name);
        if (earlier != null) {
            return same(earlier, type, dims, data);
        }
        TensorProto proto = append(name, type, dims, data);
        written.put(name, proto);
        return proto;
    }

    /** Bytes in the file so far (alignment padding included). */
    public long size() {
        return sink.written();
    }

    /**
     * A second writer of a name must mean the same tensor; a mismatch is a naming bug that would otherwise make one
     * graph read another's weights.
     */
    private static TensorProto same(TensorProto earlier, TensorProto.DataType type, List<Long> dims, TensorData data) {
        String length = earlier.getExternalDataList().stream()
                .filter(e -> e.getKey().equals("length"))
                .map(StringStringEntryProto::getValue)
                .findFirst()
                .orElseThrow();
        if (earlier.getDataType() != type.getNumber()
                || !earlier.getDimsList().equals(dims)
                || Long.parseLong(length) != data.byteLength()) {
            throw new IllegalArgumentException(earlier.getName() + ": already written as " + earlier.getDataType()
                    + earlier.getDimsList() + " (" + length + " bytes), now " + type.getNumber() + dims + " ("
                    + data.byteLength() + " bytes)");
        }
        return earlier;
    }

    private TensorProto append(String name, TensorProto.DataType type, List<Long> dims, TensorData data) {
        pad();
        long offset = sink.written();
        data.write(sink);
        long length = sink.written() - offset;
        if (length != data.byteLength()) {
            throw new IllegalStateException(name + ": wrote " + length + " bytes, declared " + data.byteLength());
        }
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .addAllDims(dims)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", file.getFileName().toString()))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length)))
                .build();
    }

    private void pad() {
        long misalignment = sink.written() % ALIGNMENT;
        if (misalignment != 0) {
            for (long i = misalignment; i < ALIGNMENT; i++) {
                sink.put((byte) 0);
            }
        }
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    @Override
    public void close() {
        sink.flush();
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close: " + e.getMessage(), e);
        }
    }
}
