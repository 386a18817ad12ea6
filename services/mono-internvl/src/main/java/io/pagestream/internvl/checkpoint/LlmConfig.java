package io.pagestream.internvl.checkpoint;

import java.util.List;

/**
 * The {@code llm_config} section: the InternLM2 decoder with its visual FFN experts.
 *
 * @param architectures         {@code architectures}; the first must be {@code InternLM2VEForCausalLM}, the marker
 *                              serving engines use to tell Mono-InternVL from other InternVL models
 * @param ropeScaling           {@code rope_scaling}, or null when the checkpoint has none
 * @param bias                  {@code bias}: whether attention projections carry biases
 */
public record LlmConfig(
        List<String> architectures,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int intermediateSize,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        String hiddenAct,
        boolean bias,
        boolean tieWordEmbeddings) {

    public static final String ARCHITECTURE = "InternLM2VEForCausalLM";

    public LlmConfig {
        architectures = List.copyOf(architectures);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads sharing one key/value head. */
    public int queriesPerKvHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Rows of the packed {@code wqkv} weight: all query heads plus one key and one value head per KV head. */
    public int qkvRows() {
        return (numAttentionHeads + 2 * numKeyValueHeads) * headDim();
    }
}
