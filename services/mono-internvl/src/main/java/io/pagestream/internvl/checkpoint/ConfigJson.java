package io.pagestream.internvl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code config.json} in the HuggingFace layout. The tree is walked by hand rather than bound to
 * annotated records so that a missing or mistyped key is reported by its full path ({@code llm_config.hidden_size})
 * instead of as a Jackson binding error. Keys this engine does not use are ignored.
 */
public final class ConfigJson {
    public static final String FILE_NAME = "config.json";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ConfigJson() {}

    /** Reads {@code dir/config.json} and checks that this engine supports it. */
    public static ModelConfig load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        ModelConfig config = read(file);
        ConfigValidator.validate(config, file.toString());
        return config;
    }

    /** Reads a config file without judging it. */
    public static ModelConfig read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static ModelConfig parse(String json) {
        return parse(json, FILE_NAME);
    }

    /** {@code source} names the file in error messages. */
    private static ModelConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        Section top = new Section(source, "", root);
        return new ModelConfig(
                vision(top.section("vision_config")),
                llm(top.section("llm_config")),
                top.integer("select_layer"),
                top.optionalInteger("force_image_size"),
                top.number("downsample_ratio"),
                top.string("template"),
                top.bool("dynamic_image_size"),
                top.bool("use_thumbnail"),
                top.string("ps_version"),
                top.integer("min_dynamic_patch"),
                top.integer("max_dynamic_patch"));
    }

    private static VisionConfig vision(Section s) {
        Integer channels = s.optionalInteger("num_channels");
        return new VisionConfig(
                s.string("model_type"),
                s.integer("image_size"),
                s.integer("patch_size"),
                s.integer("hidden_size"),
                channels == null ? 3 : channels);
    }

    private static LlmConfig llm(Section s) {
        return new LlmConfig(
                s.strings("architectures"),
                s.integer("hidden_size"),
                s.integer("num_hidden_layers"),
                s.integer("num_attention_heads"),
                s.integer("num_key_value_heads"),
                s.integer("intermediate_size"),
                s.integer("vocab_size"),
                s.number("rms_norm_eps"),
                s.number("rope_theta"),
                ropeScaling(s),
                s.integer("max_position_embeddings"),
                s.string("hidden_act"),
                s.bool("bias"),
                s.bool("tie_word_embeddings"));
    }

    private static RopeScaling ropeScaling(Section llm) {
        Section s = llm.optionalSection("rope_scaling");
        return s == null ? null : new RopeScaling(s.string("type"), s.number("factor"));
    }

    /** Writes {@code config} as {@code dir/config.json}, with the identifying keys the upstream loaders expect. */
    public static void write(ModelConfig config, Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.writeString(file, toJson(config) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    public static String toJson(ModelConfig config) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("architectures").add("InternVLChatModel");
        root.put("model_type", "internvl_chat");
        root.put("torch_dtype", "bfloat16");
        root.set("vision_config", visionNode(config.vision()));
        root.set("llm_config", llmNode(config.llm()));
        root.put("select_layer", config.selectLayer());
        root.put("force_image_size", config.forceImageSize());
        root.put("downsample_ratio", config.downsampleRatio());
        root.put("template", config.template());
        root.put("dynamic_image_size", config.dynamicImageSize());
        root.put("use_thumbnail", config.useThumbnail());
        root.put("ps_version", config.psVersion());
        root.put("min_dynamic_patch", config.minDynamicPatch());
        root.put("max_dynamic_patch", config.maxDynamicPatch());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static ObjectNode visionNode(VisionConfig v) {
        ObjectNode node = MAPPER.createObjectNode();
        node.putArray("architectures").add("InternVisionPatchModel");
        node.put("model_type", v.modelType());
        node.put("image_size", v.imageSize());
        node.put("patch_size", v.patchSize());
        node.put("hidden_size", v.hiddenSize());
        node.put("num_channels", v.numChannels());
        return node;
    }

    private static ObjectNode llmNode(LlmConfig l) {
        ObjectNode node = MAPPER.createObjectNode();
        ArrayNode architectures = node.putArray("architectures");
        l.architectures().forEach(architectures::add);
        node.put("model_type", "internlm2");
        node.put("hidden_size", l.hiddenSize());
        node.put("num_hidden_layers", l.numHiddenLayers());
        node.put("num_attention_heads", l.numAttentionHeads());
        node.put("num_key_value_heads", l.numKeyValueHeads());
        node.put("intermediate_size", l.intermediateSize());
        node.put("vocab_size", l.vocabSize());
        node.put("rms_norm_eps", l.rmsNormEps());
        node.put("rope_theta", l.ropeTheta());
        if (l.ropeScaling() == null) {
            node.putNull("rope_scaling");
        } else {
            node.putObject("rope_scaling")
                    .put("type", l.ropeScaling().type())
                    .put("factor", l.ropeScaling().factor());
        }
        node.put("max_position_embeddings", l.maxPositionEmbeddings());
        node.put("hidden_act", l.hiddenAct());
        node.put("bias", l.bias());
        node.put("tie_word_embeddings", l.tieWordEmbeddings());
        return node;
    }

    /** One JSON object, its file and its path from the root, so every error can name the full key. */
    private record Section(String source, String path, JsonNode node) {
        Section {
            if (!node.isObject()) {
                throw new CheckpointException(
                        source + ": " + (path.isEmpty() ? "the top level" : path) + " is not a JSON object: " + node);
            }
        }

        private String key(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private JsonNode required(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new CheckpointException(source + ": required key " + key(name) + " is missing");
            }
            return value;
        }

        private CheckpointException wrongType(String name, JsonNode value, String expected) {
            return new CheckpointException(source + ": " + key(name) + " = " + value + " is not " + expected);
        }

        Section section(String name) {
            return new Section(source, key(name), required(name));
        }

        Section optionalSection(String name) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? null : new Section(source, key(name), value);
        }

        int integer(String name) {
            JsonNode value = required(name);
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw wrongType(name, value, "a 32-bit integer");
            }
            return value.intValue();
        }

        Integer optionalInteger(String name) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? null : integer(name);
        }

        double number(String name) {
            JsonNode value = required(name);
            if (!value.isNumber()) {
                throw wrongType(name, value, "a number");
            }
            return value.doubleValue();
        }

        String string(String name) {
            JsonNode value = required(name);
            if (!value.isTextual()) {
                throw wrongType(name, value, "a string");
            }
            return value.textValue();
        }

        boolean bool(String name) {
            JsonNode value = required(name);
            if (!value.isBoolean()) {
                throw wrongType(name, value, "true or false");
            }
            return value.booleanValue();
        }

        List<String> strings(String name) {
            JsonNode value = required(name);
            if (!value.isArray()) {
                throw wrongType(name, value, "an array of strings");
            }
            List<String> result = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw wrongType(name, value, "an array of strings");
                }
                result.add(element.textValue());
            }
            return result;
        }
    }
}
