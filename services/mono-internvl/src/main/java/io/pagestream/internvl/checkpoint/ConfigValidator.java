package io.pagestream.internvl.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides whether this engine can run a {@link ModelConfig}. The spec only partly pins Mono-InternVL's values, so
 * whatever the engine hard-codes (activation, no biases, pixel-shuffle ratio, rope variant, prompt template) is
 * checked here rather than assumed. Every problem found is reported at once, each naming its key and value.
 */
public final class ConfigValidator {
    private static final Set<String> PS_VERSIONS = Set.of("v1", "v2");
    private static final String TEMPLATE = "internlm2-chat";

    private ConfigValidator() {}

    /** {@code source} names the config file in the message. */
    public static void validate(ModelConfig config, String source) {
        List<String> problems = new ArrayList<>();
        vision(config.vision(), problems);
        llm(config.llm(), problems);
        top(config, problems);
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    source + " describes a model this engine cannot run:\n  " + String.join("\n  ", problems));
        }
    }

    private static void vision(VisionConfig v, List<String> problems) {
        expect(
                problems,
                "vision_config.model_type",
                quoted(v.modelType()),
                VisionConfig.MODEL_TYPE.equals(v.modelType()),
                "expected \"" + VisionConfig.MODEL_TYPE + "\"");
        positive(problems, "vision_config.image_size", v.imageSize());
        positive(problems, "vision_config.patch_size", v.patchSize());
        positive(problems, "vision_config.hidden_size", v.hiddenSize());
        expect(problems, "vision_config.num_channels", v.numChannels(), v.numChannels() == 3, "expected 3 (RGB)");
        if (v.patchSize() > 0 && v.imageSize() % v.patchSize() != 0) {
            problems.add("vision_config.image_size = " + v.imageSize()
                    + " is not a multiple of vision_config.patch_size = " + v.patchSize());
        }
    }

    private static void llm(LlmConfig l, List<String> problems) {
        String architecture =
                l.architectures().isEmpty() ? null : l.architectures().get(0);
        expect(
                problems,
                "llm_config.architectures[0]",
                quoted(architecture),
                LlmConfig.ARCHITECTURE.equals(architecture),
                "expected \"" + LlmConfig.ARCHITECTURE + "\"");
        positive(problems, "llm_config.hidden_size", l.hiddenSize());
        positive(problems, "llm_config.num_hidden_layers", l.numHiddenLayers());
        positive(problems, "llm_config.num_attention_heads", l.numAttentionHeads());
        positive(problems, "llm_config.num_key_value_heads", l.numKeyValueHeads());
        positive(problems, "llm_config.intermediate_size", l.intermediateSize());
        positive(problems, "llm_config.vocab_size", l.vocabSize());
        positive(problems, "llm_config.max_position_embeddings", l.maxPositionEmbeddings());
        expect(problems, "llm_config.rms_norm_eps", l.rmsNormEps(), l.rmsNormEps() > 0, "expected > 0");
        expect(problems, "llm_config.rope_theta", l.ropeTheta(), l.ropeTheta() > 0, "expected > 0");
        if (l.numAttentionHeads() > 0 && l.hiddenSize() % l.numAttentionHeads() != 0) {
            problems.add("llm_config.num_attention_heads = " + l.numAttentionHeads()
                    + " does not divide llm_config.hidden_size = " + l.hiddenSize());
        } else if (l.numAttentionHeads() > 0 && l.headDim() % 2 != 0) {
            problems.add("llm_config.hidden_size / num_attention_heads = " + l.headDim()
                    + " is odd; rotary embeddings need an even head dimension");
        }
        if (l.numKeyValueHeads() > 0 && l.numAttentionHeads() % l.numKeyValueHeads() != 0) {
            problems.add("llm_config.num_key_value_heads = " + l.numKeyValueHeads()
                    + " does not divide llm_config.num_attention_heads = " + l.numAttentionHeads());
        }
        expect(
                problems,
                "llm_config.hidden_act",
                quoted(l.hiddenAct()),
                "silu".equals(l.hiddenAct()),
                "expected \"silu\"");
        expect(problems, "llm_config.bias", l.bias(), !l.bias(), "expected false: the decoder has no biases");
        expect(
                problems,
                "llm_config.tie_word_embeddings",
                l.tieWordEmbeddings(),
                !l.tieWordEmbeddings(),
                "expected false: output.weight is a separate tensor");
        RopeScaling rope = l.ropeScaling();
        if (rope != null) {
            expect(
                    problems,
                    "llm_config.rope_scaling.type",
                    quoted(rope.type()),
                    RopeScaling.DYNAMIC.equals(rope.type()),
                    "expected \"" + RopeScaling.DYNAMIC + "\" or no rope_scaling");
            expect(problems, "llm_config.rope_scaling.factor", rope.factor(), rope.factor() >= 1, "expected >= 1");
        }
    }

    private static void top(ModelConfig c, List<String> problems) {
        expect(
                problems,
                "select_layer",
                c.selectLayer(),
                c.selectLayer() == -1,
                "expected -1: there is one vision layer, the patch embedding");
        expect(problems, "downsample_ratio", c.downsampleRatio(), c.downsampleRatio() == 0.5, "expected 0.5");
        expect(
                problems,
                "ps_version",
                quoted(c.psVersion()),
                PS_VERSIONS.contains(c.psVersion()),
                "expected \"v1\" or \"v2\"");
        expect(
                problems,
                "template",
                quoted(c.template()),
                TEMPLATE.equals(c.template()),
                "expected \"" + TEMPLATE + "\"");
        Integer forced = c.forceImageSize();
        expect(
                problems,
                "force_image_size",
                forced,
                forced == null || forced == c.vision().imageSize(),
                "expected null or vision_config.image_size = " + c.vision().imageSize()
                        + " (position embeddings are not resampled)");
        positive(problems, "min_dynamic_patch", c.minDynamicPatch());
        expect(
                problems,
                "max_dynamic_patch",
                c.maxDynamicPatch(),
                c.maxDynamicPatch() >= c.minDynamicPatch(),
                "expected >= min_dynamic_patch = " + c.minDynamicPatch());
        int side = c.vision().patchSize() > 0 ? c.vision().patchesPerSide() : 0;
        if (c.downsampleRatio() == 0.5 && side % c.shuffleFactor() != 0) {
            problems.add("vision_config.image_size / patch_size = " + side
                    + " patches per side cannot be pixel-shuffled by downsample_ratio = 0.5");
        }
    }

    private static void positive(List<String> problems, String key, int value) {
        expect(problems, key, value, value > 0, "expected > 0");
    }

    private static void expect(List<String> problems, String key, Object value, boolean ok, String expectation) {
        if (!ok) {
            problems.add(key + " = " + value + " is not supported; " + expectation);
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
