package io.pagestream.internvl.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValidatorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Sets one key (dotted path) of the tiny config to a JSON value and returns the validator's complaint. */
    private static String rejection(String path, String jsonValue) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir())));
        String[] keys = path.split("\\.");
        ObjectNode parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            parent = (ObjectNode) parent.get(keys[i]);
        }
        JsonNode value = MAPPER.readTree(jsonValue);
        parent.set(keys[keys.length - 1], value);
        ModelConfig config = ConfigJson.parse(MAPPER.writeValueAsString(root));
        return assertThrows(CheckpointException.class, () -> ConfigValidator.validate(config, "test"))
                .getMessage();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            vision_config.model_type | "intern_vit_6b" | vision_config.model_type = "intern_vit_6b"
            vision_config.num_channels | 4 | vision_config.num_channels = 4
            vision_config.patch_size | 15 | vision_config.patch_size = 15
            vision_config.hidden_size | 0 | vision_config.hidden_size = 0
            llm_config.architectures | ["InternLM2ForCausalLM"] | llm_config.architectures[0] = "InternLM2ForCausalLM"
            llm_config.architectures | [] | llm_config.architectures[0] = null
            llm_config.hidden_act | "gelu" | llm_config.hidden_act = "gelu"
            llm_config.bias | true | llm_config.bias = true
            llm_config.tie_word_embeddings | true | llm_config.tie_word_embeddings = true
            llm_config.num_attention_heads | 5 | llm_config.num_attention_heads = 5
            llm_config.num_attention_heads | 64 | hidden_size / num_attention_heads = 1
            llm_config.num_key_value_heads | 3 | llm_config.num_key_value_heads = 3
            llm_config.num_hidden_layers | 0 | llm_config.num_hidden_layers = 0
            llm_config.vocab_size | -1 | llm_config.vocab_size = -1
            llm_config.rms_norm_eps | 0 | llm_config.rms_norm_eps = 0.0
            llm_config.rope_theta | -10000 | llm_config.rope_theta = -10000.0
            llm_config.rope_scaling | {"type":"linear","factor":2.0} | llm_config.rope_scaling.type = "linear"
            llm_config.rope_scaling | {"type":"dynamic","factor":0.5} | llm_config.rope_scaling.factor = 0.5
            select_layer | -4 | select_layer = -4
            downsample_ratio | 0.25 | downsample_ratio = 0.25
            ps_version | "v3" | ps_version = "v3"
            template | "phi3-chat" | template = "phi3-chat"
            force_image_size | 224 | force_image_size = 224
            min_dynamic_patch | 0 | min_dynamic_patch = 0
            max_dynamic_patch | 0 | max_dynamic_patch = 0
            """)
    void rejectsUnsupportedValueNamingKeyAndValue(String path, String value, String expected) throws Exception {
        String message = rejection(path, value);
        assertTrue(message.contains(expected), () -> "expected '" + expected + "' in:\n" + message);
    }

    @Test
    void acceptsPixelShuffleV1AndNoRopeScaling() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir())));
        root.put("ps_version", "v1");
        ((ObjectNode) root.get("llm_config")).putNull("rope_scaling");
        ConfigValidator.validate(ConfigJson.parse(MAPPER.writeValueAsString(root)), "test");
    }

    @Test
    void reportsEveryProblemAtOnce() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(ConfigJson.toJson(ConfigJson.load(Fixtures.tinyConfigDir())));
        root.put("ps_version", "v9");
        ((ObjectNode) root.get("llm_config")).put("hidden_act", "relu");
        ModelConfig config = ConfigJson.parse(MAPPER.writeValueAsString(root));
        String message = assertThrows(CheckpointException.class, () -> ConfigValidator.validate(config, "test"))
                .getMessage();
        assertTrue(
                message.contains("ps_version = \"v9\"") && message.contains("llm_config.hidden_act = \"relu\""),
                message);
    }
}
