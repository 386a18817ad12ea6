package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    @Test
    void readsTheReleasedConfig() {
        ModelConfig c = ConfigJson.load(Fixtures.realConfigDir());
        assertEquals(new VisionConfig("intern_vit_patch", 448, 14, 1024, 3), c.vision());
        LlmConfig l = c.llm();
        assertEquals(List.of("InternLM2VEForCausalLM"), l.architectures());
        assertEquals(2048, l.hiddenSize());
        assertEquals(24, l.numHiddenLayers());
        assertEquals(16, l.numAttentionHeads());
        assertEquals(8, l.numKeyValueHeads());
        assertEquals(8192, l.intermediateSize());
        assertEquals(92553, l.vocabSize());
        assertEquals(1e-5, l.rmsNormEps());
        assertEquals(1e6, l.ropeTheta());
        assertEquals(new RopeScaling("dynamic", 2.0), l.ropeScaling());
        assertEquals(32768, l.maxPositionEmbeddings());
        assertEquals("silu", l.hiddenAct());
        assertEquals(-1, c.selectLayer());
        assertEquals(448, c.forceImageSize());
        assertEquals("internlm2-chat", c.template());
        assertEquals("v2", c.psVersion());
        assertTrue(c.dynamicImageSize());
        assertTrue(c.useThumbnail());
        assertEquals(1, c.minDynamicPatch());
        assertEquals(12, c.maxDynamicPatch());
    }

    @Test
    void derivesTheNumbersTheSpecStates() {
        ModelConfig c = ConfigJson.load(Fixtures.realConfigDir());
        assertEquals(128, c.llm().headDim());
        assertEquals(2, c.llm().queriesPerKvHead());
        assertEquals(4096, c.llm().qkvRows());
        assertEquals(32, c.vision().patchesPerSide());
        assertEquals(1024, c.vision().patchCount());
        assertEquals(256, c.tokensPerTile());
        assertEquals(4096, c.projectorInputSize());
        assertEquals(448, c.tileSize());
    }

    @Test
    void tinyConfigIsValidAndKeepsRealTileGeometry() {
        ModelConfig c = ConfigJson.load(Fixtures.tinyConfigDir());
        assertEquals(16, c.llm().headDim());
        assertEquals(128, c.llm().qkvRows());
        assertEquals(92553, c.llm().vocabSize());
        assertEquals(256, c.tokensPerTile());
        assertEquals(128, c.projectorInputSize());
    }

    @Test
    void writtenConfigReadsBackEqual(@TempDir Path dir) {
        for (Path source : List.of(Fixtures.realConfigDir(), Fixtures.tinyConfigDir())) {
            ModelConfig original = ConfigJson.load(source);
            ConfigJson.write(original, dir);
            assertEquals(original, ConfigJson.load(dir));
        }
    }

    @Test
    void writesTheHuggingFaceLayout() {
        String json = ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir()));
        for (String expected : List.of(
                "\"vision_config\"",
                "\"llm_config\"",
                "\"model_type\" : \"internvl_chat\"",
                "\"model_type\" : \"intern_vit_patch\"",
                "\"InternLM2VEForCausalLM\"",
                "\"rope_scaling\" : {")) {
            assertTrue(json.contains(expected), () -> expected + " missing from\n" + json);
        }
    }

    @Test
    void absentOptionalKeysTakeTheirDefaults() {
        String json = ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir()))
                .replace("\"num_channels\" : 3,", "")
                .replace("\"force_image_size\" : 448,", "")
                .replaceAll("\"rope_scaling\" : \\{[^}]*},", "");
        ModelConfig c = ConfigJson.parse(json);
        assertEquals(3, c.vision().numChannels());
        assertNull(c.forceImageSize());
        assertNull(c.llm().ropeScaling());
        assertEquals(448, c.tileSize());
        ConfigValidator.validate(c, "test");
    }

    @Test
    void unknownKeysAreIgnored() {
        String json = ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir()))
                .replace("\"select_layer\"", "\"some_future_key\" : {\"nested\" : [1, 2]}, \"select_layer\"");
        assertEquals(ConfigJson.load(Fixtures.tinyConfigDir()), ConfigJson.parse(json));
    }

    @Test
    void missingKeyIsNamedByItsPath() {
        String json = ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir()))
                .replace("\"num_key_value_heads\" : 2,", "");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ConfigJson.parse(json));
        assertTrue(e.getMessage().contains("llm_config.num_key_value_heads is missing"), e.getMessage());
    }

    @Test
    void mistypedValueIsNamedWithItsValue() {
        String json = ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir()))
                .replace("\"hidden_size\" : 64", "\"hidden_size\" : 64.5");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ConfigJson.parse(json));
        assertTrue(e.getMessage().contains("llm_config.hidden_size = 64.5 is not a 32-bit integer"), e.getMessage());
    }

    @Test
    void loadNamesTheFileItRejects(@TempDir Path dir) throws IOException {
        String json =
                ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir())).replace("\"silu\"", "\"gelu\"");
        Files.writeString(dir.resolve("config.json"), json);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ConfigJson.load(dir));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("config.json") + " describes a model this engine cannot run"),
                e.getMessage());
        assertTrue(e.getMessage().contains("llm_config.hidden_act = \"gelu\""), e.getMessage());
    }

    @Test
    void malformedJsonIsReported() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> ConfigJson.parse("{\"a\": "));
        assertTrue(e.getMessage().startsWith("config.json: not valid JSON"), e.getMessage());
    }
}
