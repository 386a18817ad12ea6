package io.pagestream.internvl.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java reference against logits computed by the independent PyTorch implementation
 * ({@code src/test/python/reference_forward.py}) from the same regenerated random checkpoint.
 */
class ReferenceVsPytorchTest {
    private static final double TOLERANCE = 1e-3;
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    @TempDir
    static Path checkpointDir;

    private static JsonNode manifest;
    private static float[] expected;
    private static ModelCheckpoint checkpoint;

    @BeforeAll
    static void regenerateCheckpoint() throws IOException {
        manifest = JsonMapper.builder()
                .build()
                .readTree(FixtureCheckpoint.resource(FixtureCheckpoint.DIR + "/expected.json")
                        .toFile());
        ByteBuffer bytes = ByteBuffer.wrap(
                        Files.readAllBytes(FixtureCheckpoint.resource(FixtureCheckpoint.DIR + "/expected-logits.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        expected = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(expected);
        FixtureCheckpoint.write(checkpointDir);
        for (Map.Entry<String, JsonNode> shard :
                manifest.get("checkpoint").get("sha256").properties()) {
            assertEquals(
                    shard.getValue().textValue(),
                    sha256(checkpointDir.resolve(shard.getKey())),
                    shard.getKey() + " differs from the checkpoint the fixture was computed from: RandomCheckpoint"
                            + " changed, so run regenerate_reference_fixture.sh");
        }
        checkpoint = ModelCheckpoint.open(checkpointDir);
    }

    @Test
    void imageWithPixelShuffleV2() {
        compareCase(caseNamed("image-v2"));
    }

    @Test
    void imageWithPixelShuffleV1() {
        compareCase(caseNamed("image-v1"));
    }

    @Test
    void textOnly() {
        compareCase(caseNamed("text"));
    }

    @Test
    void visionWithPositionEmbeddingShrunkTo16x16() {
        compareVision(visionCaseNamed("vision-224"));
    }

    @Test
    void visionWithPositionEmbeddingGrownTo40x40() {
        compareVision(visionCaseNamed("vision-560"));
    }

    private void compareCase(JsonNode fixture) {
        ReferenceModel model = model(fixture.get("ps_version").textValue());
        int[] ids = ints(fixture.get("ids"));
        float[][] imageRows = null;
        if (fixture.has("tiles")) {
            int tiles = fixture.get("tiles").intValue();
            int size = fixture.get("tile_size").intValue();
            imageRows = model.encodeImage(pixels(tiles, size), tiles, size);
            JsonNode vision = fixture.get("vision_rows");
            int[] rows = ints(vision.get("rows"));
            float[][] picked = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                picked[i] = imageRows[rows[i]];
            }
            assertClose(
                    fixture.get("name").textValue() + " projector rows",
                    picked,
                    vision.get("offset").intValue());
        }
        JsonNode prefill = fixture.get("prefill");
        int[] positions = new int[prefill.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = prefill.get(i).get("position").intValue();
        }
        ReferenceSession session = model.newSession();
        float[][] logits = session.prefill(ids, imageRows, positions);
        double worst = 0;
        for (int i = 0; i < positions.length; i++) {
            worst = Math.max(
                    worst,
                    compareLogits(
                            fixture.get("name") + " prefill position " + positions[i], logits[i], prefill.get(i)));
        }
        float[] last = logits[logits.length - 1];
        for (JsonNode step : fixture.get("decode")) {
            int id = step.get("id").intValue();
            assertEquals(id, ReferenceBatch.argmax(last), "greedy token before decode step");
            last = session.decode(id);
            worst = Math.max(worst, compareLogits(fixture.get("name") + " decode of " + id, last, step));
        }
        System.out.printf(
                "ReferenceVsPytorchTest %s: max abs logit difference %.3g%n",
                fixture.get("name").textValue(), worst);
    }

    private double compareLogits(String what, float[] logits, JsonNode row) {
        int stride = manifest.get("logit_stride").intValue();
        int offset = row.get("offset").intValue();
        double worst = 0;
        int k = 0;
        for (int id = 0; id < logits.length; id += stride) {
            worst = Math.max(worst, Math.abs(logits[id] - expected[offset + k++]));
        }
        for (JsonNode id : row.get("top_ids")) {
            worst = Math.max(worst, Math.abs(logits[id.intValue()] - expected[offset + k++]));
        }
        double measured = worst;
        assertTrue(measured < TOLERANCE, () -> what + ": max abs difference from PyTorch " + measured);
        return measured;
    }

    private void compareVision(JsonNode fixture) {
        int size = fixture.get("tile_size").intValue();
        float[][] rows = model("v2").encodeImage(pixels(1, size), 1, size);
        assertEquals(fixture.get("row_count").intValue(), rows.length);
        int[] picked = ints(fixture.get("rows"));
        float[][] compared = new float[picked.length][];
        for (int i = 0; i < picked.length; i++) {
            compared[i] = rows[picked[i]];
        }
        double worst = assertClose(
                fixture.get("name").textValue(), compared, fixture.get("offset").intValue());
        System.out.printf(
                "ReferenceVsPytorchTest %s: max abs projector difference %.3g%n",
                fixture.get("name").textValue(), worst);
    }

    private static double assertClose(String what, float[][] rows, int offset) {
        double worst = 0;
        int k = offset;
        for (float[] row : rows) {
            for (float value : row) {
                worst = Math.max(worst, Math.abs(value - expected[k++]));
            }
        }
        double measured = worst;
        assertTrue(measured < TOLERANCE, () -> what + ": max abs difference from PyTorch " + measured);
        return measured;
    }

    private static ReferenceModel model(String psVersion) {
        ModelConfig c = checkpoint.config();
        ModelConfig config = new ModelConfig(
                c.vision(),
                c.llm(),
                c.selectLayer(),
                c.forceImageSize(),
                c.downsampleRatio(),
                c.template(),
                c.dynamicImageSize(),
                c.useThumbnail(),
                psVersion,
                c.minDynamicPatch(),
                c.maxDynamicPatch());
        return ReferenceModel.load(new ModelCheckpoint(config, checkpoint.tensors()));
    }

    /** The pixel formula of {@code reference_forward.py}, evaluated in the same double operations. */
    static float[] pixels(int tiles, int size) {
        float[] values = new float[tiles * 3 * size * size];
        int i = 0;
        for (int t = 0; t < tiles; t++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int level = (x * x + 3 * y * y + 7 * x * y + 31 * c + 101 * t) % 251;
                        values[i++] = (float) ((level / 250.0 - MEAN[c]) / STD[c]);
                    }
                }
            }
        }
        return values;
    }

    private static JsonNode caseNamed(String name) {
        return named(manifest.get("cases"), name);
    }

    private static JsonNode visionCaseNamed(String name) {
        return named(manifest.get("vision_cases"), name);
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode node : list) {
            if (node.get("name").textValue().equals(name)) {
                return node;
            }
        }
        throw new IllegalStateException("expected.json has no case " + name);
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).intValue();
        }
        return values;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
