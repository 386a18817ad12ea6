package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLayoutTest {
    private static final ModelConfig REAL = ConfigJson.load(Fixtures.realConfigDir());
    private static final ModelConfig TINY = ConfigJson.load(Fixtures.tinyConfigDir());

    @Test
    void realLayoutReproducesTheSpecTableAndByteTotal() {
        Map<String, List<Integer>> shapes = CheckpointLayout.of(REAL).shapes();
        assertEquals(1 + 24 * 10 + 2 + 4 + 6, shapes.size());
        String layer = "language_model.model.layers.0.";
        assertEquals(List.of(92553, 2048), shapes.get("language_model.model.tok_embeddings.weight"));
        assertEquals(List.of(4096, 2048), shapes.get(layer + "attention.wqkv.weight"));
        assertEquals(List.of(2048, 2048), shapes.get(layer + "attention.wo.weight"));
        assertEquals(List.of(2048), shapes.get(layer + "attention_norm.weight"));
        assertEquals(List.of(2048), shapes.get(layer + "ffn_norm.weight"));
        assertEquals(List.of(8192, 2048), shapes.get(layer + "feed_forward.w1.weight"));
        assertEquals(List.of(2048, 8192), shapes.get(layer + "feed_forward.w2.weight"));
        assertEquals(List.of(8192, 2048), shapes.get(layer + "feed_forward_ve.w3.weight"));
        assertEquals(List.of(2048, 8192), shapes.get("language_model.model.layers.23.feed_forward_ve.w2.weight"));
        assertEquals(List.of(2048), shapes.get("language_model.model.norm.weight"));
        assertEquals(List.of(92553, 2048), shapes.get("language_model.output.weight"));
        assertEquals(List.of(1024, 3, 14, 14), shapes.get("vision_model.embeddings.patch_embedding.weight"));
        assertEquals(List.of(1024), shapes.get("vision_model.embeddings.patch_embedding.bias"));
        assertEquals(List.of(1, 1025, 1024), shapes.get("vision_model.embeddings.position_embedding"));
        assertEquals(List.of(1, 1, 1024), shapes.get("vision_model.embeddings.class_embedding"));
        assertEquals(List.of(4096), shapes.get("mlp1.0.weight"));
        assertEquals(List.of(2048, 4096), shapes.get("mlp1.1.weight"));
        assertEquals(List.of(2048, 2048), shapes.get("mlp1.3.weight"));
        assertEquals(List.of(2048), shapes.get("mlp1.3.bias"));
        long bf16Bytes = CheckpointLayout.of(REAL).specs(DType.BF16).stream()
                .mapToLong(TensorSpec::byteLength)
                .sum();
        assertEquals(6_222_710_784L, bf16Bytes, "total the spec reads from the HF index");
    }

    private static TensorInfo info(String name, List<Integer> shape) {
        return new TensorInfo(name, DType.BF16, shape, Path.of("x.safetensors"), 0, 0);
    }

    @Test
    void reportsMissingUnexpectedAndWrongShapeTogether() {
        CheckpointLayout layout = CheckpointLayout.of(TINY);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        layout.shapes().forEach((name, shape) -> tensors.put(name, info(name, shape)));
        tensors.remove("mlp1.3.bias");
        tensors.remove("language_model.model.layers.1.feed_forward_ve.w2.weight");
        tensors.put("vision_model.encoder.layers.0.attn.qkv.weight", info("extra", List.of(3)));
        tensors.put(
                "language_model.model.layers.0.attention.wqkv.weight",
                info("language_model.model.layers.0.attention.wqkv.weight", List.of(192, 64)));
        CheckpointLayout.Report report = layout.check(tensors);
        assertFalse(report.matches());
        assertEquals(
                List.of("language_model.model.layers.1.feed_forward_ve.w2.weight", "mlp1.3.bias"), report.missing());
        assertEquals(List.of("vision_model.encoder.layers.0.attn.qkv.weight"), report.unexpected());
        assertEquals(
                List.of("language_model.model.layers.0.attention.wqkv.weight: expected [128, 64], "
                        + "found [192, 64]"),
                report.wrongShape());
        String message = assertThrows(CheckpointException.class, () -> report.requireMatch("ckpt"))
                .getMessage();
        for (String part :
                List.of("ckpt", "missing (2)", "mlp1.3.bias", "unexpected (1)", "wrong shape (1)", "found [192, 64]")) {
            assertTrue(message.contains(part), () -> part + " not in " + message);
        }
    }

    /** The tiny config end to end: random weights written sharded, then opened with every load-time check. */
    @Test
    void tinyRandomCheckpointOpens(@TempDir Path dir) {
        ConfigJson.write(TINY, dir);
        SafetensorsWriter.writeCheckpoint(
                dir, CheckpointLayout.of(TINY).specs(DType.BF16), 8L << 20, CheckpointLayoutTest::random);
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.INDEX_FILE)));
        ModelCheckpoint model = ModelCheckpoint.open(dir);
        assertEquals(TINY, model.config());
        String name = "language_model.model.layers.1.attention.wqkv.weight";
        TensorSpec spec = new TensorSpec(name, DType.BF16, List.of(128, 64));
        float[] source = random(spec);
        float[] read = model.tensors().toFloatArray(name);
        for (int i = 0; i < source.length; i++) {
            assertEquals(Bf16.toFloat(Bf16.fromFloat(source[i])), read[i]);
        }
    }

    @Test
    void checkpointDisagreeingWithItsConfigIsRefused(@TempDir Path dir) {
        ModelConfig wider = ConfigJson.parse(
                ConfigJson.toJson(TINY).replace("\"intermediate_size\" : 128", "\"intermediate_size\" : 96"));
        ConfigJson.write(wider, dir);
        List<TensorSpec> specs = CheckpointLayout.of(TINY).specs(DType.BF16).stream()
                .filter(s -> !s.name().contains("tok_embeddings") && !s.name().contains("output"))
                .toList();
        SafetensorsWriter.writeCheckpoint(dir, specs, Long.MAX_VALUE, s -> new float[(int) s.elementCount()]);
        String message = assertThrows(CheckpointException.class, () -> ModelCheckpoint.open(dir))
                .getMessage();
        assertTrue(message.contains("missing (2)") && message.contains("wrong shape (12)"), message);
    }

    private static float[] random(TensorSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.name().hashCode());
        float[] values = new float[(int) spec.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        return values;
    }
}
