package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
    private static final List<TensorSpec> SPECS = List.of(
            new TensorSpec("w.bf16", DType.BF16, List.of(3, 5)),
            new TensorSpec("w.f16", DType.F16, List.of(7)),
            new TensorSpec("w.f32", DType.F32, List.of(2, 3, 4)),
            new TensorSpec("scalar", DType.F32, List.of()),
            new TensorSpec("empty", DType.BF16, List.of(4, 0)));

    /** Deterministic values per tensor, wide enough in range to exercise rounding. */
    private static float[] values(TensorSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.name().hashCode());
        float[] values = new float[(int) spec.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-3, 4)));
        }
        return values;
    }

    private static float rounded(DType dtype, float value) {
        return switch (dtype) {
            case BF16 -> Bf16.toFloat(Bf16.fromFloat(value));
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            case F32 -> value;
        };
    }

    private static void assertHoldsSpecs(Checkpoint checkpoint) {
        assertEquals(SPECS.stream().map(TensorSpec::name).toList(), List.copyOf(checkpoint.names()));
        for (TensorSpec spec : SPECS) {
            TensorInfo info = checkpoint.info(spec.name());
            assertEquals(spec.dtype(), info.dtype());
            assertEquals(spec.shape(), info.shape());
            assertEquals(spec.byteLength(), info.length());
            float[] source = values(spec);
            float[] read = checkpoint.toFloatArray(spec.name());
            assertEquals(source.length, read.length);
            for (int i = 0; i < source.length; i++) {
                assertEquals(rounded(spec.dtype(), source[i]), read[i], spec.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void singleFileRoundTripsAllDtypes(@TempDir Path dir) throws IOException {
        SafetensorsWriter.writeCheckpoint(dir, SPECS, Long.MAX_VALUE, SafetensorsRoundTripTest::values);
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.SINGLE_FILE)));
        assertFalse(Files.exists(dir.resolve(Checkpoint.INDEX_FILE)));
        assertHoldsSpecs(Checkpoint.open(dir));
        assertEquals(
                SafetensorsWriter.PT_METADATA,
                SafetensorsFile.read(dir.resolve(Checkpoint.SINGLE_FILE)).metadata());
    }

    /** 40-byte shards split the 30, 14, 96, 4 and 0 byte tensors into four files, the last holding two. */
    @Test
    void shardedRoundTripWritesAnIndex(@TempDir Path dir) throws IOException {
        SafetensorsWriter.writeCheckpoint(dir, SPECS, 40, SafetensorsRoundTripTest::values);
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.INDEX_FILE)));
        assertTrue(Files.isRegularFile(dir.resolve("model-00001-of-00004.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("model-00004-of-00004.safetensors")));
        assertFalse(Files.exists(dir.resolve(Checkpoint.SINGLE_FILE)));
        Checkpoint checkpoint = Checkpoint.open(dir);
        assertHoldsSpecs(checkpoint);
        assertEquals(
                "model-00003-of-00004.safetensors",
                checkpoint.info("w.f32").file().getFileName().toString());
        assertTrue(Files.readString(dir.resolve(Checkpoint.INDEX_FILE)).contains("\"total_size\" : 144"));
    }

    @Test
    void headerIsPaddedSoDataStartsEightByteAligned(@TempDir Path dir) throws IOException {
        for (int nameLength = 1; nameLength <= 8; nameLength++) {
            Path file = dir.resolve("t" + nameLength + ".safetensors");
            TensorSpec spec = new TensorSpec("x".repeat(nameLength), DType.F32, List.of(2));
            SafetensorsWriter.writeFile(file, List.of(spec), Map.of(), s -> new float[] {1, 2});
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = bytes.getLong(0);
            assertEquals(0, headerLength % 8);
            String header = new String(Files.readAllBytes(file), 8, (int) headerLength, StandardCharsets.UTF_8);
            String json = header.stripTrailing();
            assertTrue(json.endsWith("}") && header.length() - json.length() < 8, header);
            TensorInfo info = SafetensorsFile.read(file).tensors().get(spec.name());
            assertEquals(8 + headerLength, info.offset());
            assertEquals(0, info.offset() % 8);
        }
    }

    @Test
    void rawBytesAreAReadOnlyLittleEndianViewOfTheMapping(@TempDir Path dir) {
        SafetensorsWriter.writeCheckpoint(dir, SPECS, Long.MAX_VALUE, SafetensorsRoundTripTest::values);
        Checkpoint checkpoint = Checkpoint.open(dir);
        ByteBuffer bytes = checkpoint.bytes("w.f32");
        assertTrue(bytes.isReadOnly());
        assertTrue(bytes.isDirect());
        assertEquals(ByteOrder.LITTLE_ENDIAN, bytes.order());
        assertEquals(0, bytes.position());
        assertEquals(24 * 4, bytes.remaining());
        assertEquals(values(SPECS.get(2))[5], bytes.getFloat(5 * 4));
        bytes.position(8);
        assertEquals(0, checkpoint.bytes("w.f32").position(), "views are independent");
        assertThrows(
                ReadOnlyBufferException.class, () -> checkpoint.bytes("w.bf16").put(0, (byte) 1));
    }

    @Test
    void floatBufferIsZeroCopyForF32AndWidenedOtherwise(@TempDir Path dir) {
        SafetensorsWriter.writeCheckpoint(dir, SPECS, Long.MAX_VALUE, SafetensorsRoundTripTest::values);
        Checkpoint checkpoint = Checkpoint.open(dir);
        FloatBuffer f32 = checkpoint.toFloatBuffer("w.f32");
        assertTrue(f32.isDirect());
        assertEquals(24, f32.remaining());
        float[] copy = new float[24];
        f32.get(copy);
        assertArrayEquals(values(SPECS.get(2)), copy);
        FloatBuffer bf16 = checkpoint.toFloatBuffer("w.bf16");
        assertEquals(15, bf16.remaining());
        assertEquals(checkpoint.toFloatArray("w.bf16")[14], bf16.get(14));
    }

    @Test
    void unknownTensorIsNamed(@TempDir Path dir) {
        SafetensorsWriter.writeCheckpoint(dir, SPECS, Long.MAX_VALUE, SafetensorsRoundTripTest::values);
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> Checkpoint.open(dir).bytes("nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void writerRejectsWrongValueCountAndDuplicateNames(@TempDir Path dir) {
        Path file = dir.resolve("x.safetensors");
        TensorSpec spec = new TensorSpec("t", DType.F32, List.of(2, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> SafetensorsWriter.writeFile(file, List.of(spec), Map.of(), s -> new float[3]));
        assertThrows(
                IllegalArgumentException.class,
                () -> SafetensorsWriter.writeFile(file, List.of(spec, spec), Map.of(), s -> new float[4]));
    }
}
