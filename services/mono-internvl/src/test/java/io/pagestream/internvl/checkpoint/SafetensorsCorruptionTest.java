package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each damaged checkpoint must fail at open with a message naming the file and what is wrong. */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    /** A single-file checkpoint with a hand-written header, so that the header can be made to lie. */
    private Path raw(String headerJson, int dataBytes) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(header.length).put(header);
        Path path = dir.resolve(Checkpoint.SINGLE_FILE);
        Files.write(path, file.array());
        return path;
    }

    private String failure() {
        return assertThrows(CheckpointException.class, () -> Checkpoint.open(dir))
                .getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void truncatedData() throws IOException {
        SafetensorsWriter.writeFile(
                dir.resolve(Checkpoint.SINGLE_FILE),
                List.of(new TensorSpec("a", DType.F32, List.of(4)), new TensorSpec("b", DType.F32, List.of(4))),
                Map.of(),
                s -> new float[4]);
        byte[] whole = Files.readAllBytes(dir.resolve(Checkpoint.SINGLE_FILE));
        Files.write(dir.resolve(Checkpoint.SINGLE_FILE), Arrays.copyOf(whole, whole.length - 3));
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "'b'", "truncated");
    }

    @Test
    void fileTooShortForTheLengthField() throws IOException {
        Files.write(dir.resolve(Checkpoint.SINGLE_FILE), new byte[5]);
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "5 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path path = raw("{}", 0);
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1_000_000L);
        Files.write(path, bytes);
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "header length 1000000");
    }

    @Test
    void negativeHeaderLengthReadAsUnsigned() throws IOException {
        Path path = raw("{}", 0);
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        Files.write(path, bytes);
        assertMentions(failure(), "header length 18446744073709551615");
    }

    @Test
    void headerNotJson() throws IOException {
        raw("{\"a\": [", 0);
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "not valid JSON");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String t = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        raw("{\"a\":" + t + ",\"a\":" + t + "}", 4);
        assertMentions(failure(), "Duplicate field 'a'");
    }

    @Test
    void overlappingOffsets() throws IOException {
        raw(
                "{\"first\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"second\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                12);
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "'first'", "'second'", "overlap");
    }

    @Test
    void unsupportedDtype() throws IOException {
        raw("{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        assertMentions(failure(), Checkpoint.SINGLE_FILE, "'w'", "dtype F64", "BF16, F16, F32");
    }

    @Test
    void shapeDisagreesWithByteLength() throws IOException {
        raw("{\"w\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[0,8]}}", 8);
        assertMentions(failure(), "'w'", "needs 12 bytes", "hold 8");
    }

    @Test
    void offsetsReversed() throws IOException {
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", 8);
        assertMentions(failure(), "'w'", "data_offsets [4, 0]");
    }

    @Test
    void malformedShape() throws IOException {
        raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4);
        assertMentions(failure(), "'w' shape", "non-negative integers");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        raw("{\"__metadata__\":{\"format\":1}}", 0);
        assertMentions(failure(), "__metadata__.format = 1");
    }

    private void shardedFixture() {
        SafetensorsWriter.writeCheckpoint(
                dir,
                List.of(new TensorSpec("a", DType.F32, List.of(4)), new TensorSpec("b", DType.F32, List.of(4))),
                16,
                s -> new float[4]);
    }

    private void rewriteIndex(String from, String to) throws IOException {
        Path index = dir.resolve(Checkpoint.INDEX_FILE);
        String text = Files.readString(index);
        assertTrue(text.contains(from), text);
        Files.writeString(index, text.replace(from, to));
    }

    @Test
    void indexNamesATensorItsShardLacks() throws IOException {
        shardedFixture();
        rewriteIndex("\"b\" :", "\"ghost\" : \"model-00002-of-00002.safetensors\",\n    \"b\" :");
        assertMentions(
                failure(), Checkpoint.INDEX_FILE, "'ghost'", "model-00002-of-00002.safetensors", "does not contain it");
    }

    @Test
    void indexNamesAMissingShard() throws IOException {
        shardedFixture();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertMentions(failure(), "'model-00002-of-00002.safetensors'", "is not a file");
    }

    @Test
    void indexPointsOutsideTheDirectory() throws IOException {
        shardedFixture();
        rewriteIndex("\"model-00002-of-00002.safetensors\"", "\"../model-00002-of-00002.safetensors\"");
        assertMentions(failure(), "'../model-00002-of-00002.safetensors'", "is not a file in");
    }

    @Test
    void shardHoldsATensorTheIndexOmits() throws IOException {
        SafetensorsWriter.writeCheckpoint(
                dir,
                List.of(
                        new TensorSpec("a", DType.F32, List.of(4)),
                        new TensorSpec("b", DType.F32, List.of(4)),
                        new TensorSpec("c", DType.F32, List.of(8))),
                32,
                s -> new float[(int) s.elementCount()]);
        rewriteIndex("\"b\" : \"model-00001-of-00002.safetensors\",", "");
        assertMentions(failure(), "model-00001-of-00002.safetensors", "'b'", "not mapped to this shard");
    }

    @Test
    void indexWithoutWeightMap() throws IOException {
        shardedFixture();
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"metadata\": {}}");
        assertMentions(failure(), Checkpoint.INDEX_FILE, "no weight_map");
    }

    @Test
    void emptyDirectory() {
        assertMentions(failure(), "neither", Checkpoint.INDEX_FILE, Checkpoint.SINGLE_FILE);
    }
}
