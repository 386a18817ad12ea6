package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the reader and writer against {@code src/test/python/make_safetensors_fixture.py}, which writes a
 * two-shard checkpoint with the standard library alone. Its output is committed under
 * {@code safetensors-fixture/} together with the values every tensor must decode to.
 */
class PythonFixtureTest {
    private static final Path SCRIPT = Path.of("src/test/python/make_safetensors_fixture.py");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Path fixture = Fixtures.resource("safetensors-fixture");
    private final JsonNode expected = readExpected(fixture);

    private static JsonNode readExpected(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.intValue()));
        return values;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().textValue()));
        return map;
    }

    /** The JSON holds float32 bit patterns as unsigned numbers, so NaN and -0 survive the trip. */
    private static float[] floats(JsonNode bits) {
        float[] values = new float[bits.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat((int) bits.get(i).longValue());
        }
        return values;
    }

    @Test
    void javaReaderDecodesThePythonCheckpoint() {
        Checkpoint checkpoint = Checkpoint.open(fixture);
        List<String> names = new ArrayList<>();
        expected.get("tensors").fieldNames().forEachRemaining(names::add);
        assertEquals(names, List.copyOf(checkpoint.names()));
        for (String name : names) {
            JsonNode tensor = expected.get("tensors").get(name);
            TensorInfo info = checkpoint.info(name);
            assertEquals(DType.valueOf(tensor.get("dtype").textValue()), info.dtype(), name);
            assertEquals(ints(tensor.get("shape")), info.shape(), name);
            assertEquals(
                    tensor.get("shard").textValue(), info.file().getFileName().toString(), name);
            float[] want = floats(tensor.get("expected_float32_bits"));
            float[] got = checkpoint.toFloatArray(name);
            assertEquals(want.length, got.length, name);
            for (int i = 0; i < want.length; i++) {
                if (Float.isNaN(want[i])) {
                    assertTrue(Float.isNaN(got[i]), name + "[" + i + "]");
                } else {
                    assertEquals(
                            Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void javaReaderSeesThePythonMetadata() {
        expected.get("shards")
                .properties()
                .forEach(shard -> assertEquals(
                        strings(shard.getValue().get("metadata")),
                        SafetensorsFile.read(fixture.resolve(shard.getKey())).metadata()));
    }

    /** Fed the same float32 inputs, the Java writer must produce the Python shards byte for byte. */
    @Test
    void javaWriterReproducesThePythonShards(@TempDir Path dir) throws IOException {
        JsonNode tensors = expected.get("tensors");
        for (Map.Entry<String, JsonNode> shard : expected.get("shards").properties()) {
            List<TensorSpec> specs = new ArrayList<>();
            for (JsonNode name : shard.getValue().get("tensors")) {
                JsonNode tensor = tensors.get(name.textValue());
                specs.add(new TensorSpec(
                        name.textValue(), DType.valueOf(tensor.get("dtype").textValue()), ints(tensor.get("shape"))));
            }
            Path written = dir.resolve(shard.getKey());
            SafetensorsWriter.writeFile(
                    written,
                    specs,
                    strings(shard.getValue().get("metadata")),
                    spec -> floats(tensors.get(spec.name()).get("source_float32_bits")));
            assertArrayEquals(
                    Files.readAllBytes(fixture.resolve(shard.getKey())), Files.readAllBytes(written), shard.getKey());
        }
    }

    /** Guards the committed fixture against drifting from the script that documents it. */
    @Test
    void committedFixtureIsWhatTheScriptWrites(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && Files.isRegularFile(SCRIPT), "needs /usr/bin/python3 and the script");
        Process process = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "script timed out");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertArrayEquals(
                        Files.readAllBytes(fixture.resolve(file.getFileName())),
                        Files.readAllBytes(file),
                        file.getFileName().toString());
            }
        }
    }
}
