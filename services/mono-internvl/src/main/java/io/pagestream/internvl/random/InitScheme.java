package io.pagestream.internvl.random;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.util.regex.Pattern;

/**
 * The initialisation of every tensor of a random checkpoint. Two goals:
 *
 * <ul>
 *   <li>Activations stay O(1) in every layer, so that bf16 and fp16 engines neither overflow nor lose everything to
 *   rounding. Inputs of every linear layer are normalised (RMSNorm, LayerNorm or image normalisation), so weights
 *   with standard deviation {@code 1/√fan_in} give outputs of RMS about 1. The two projections that write into the
 *   residual stream ({@code wo}, {@code w2}) are further divided by {@code √(2·layers)}, so that the residual grows
 *   to about √2 times the embedding RMS of 1 rather than with the depth. Norm weights are 1 ± 10 %.</li>
 *   <li>Greedy decoding is decided by the model rather than by rounding. With an i.i.d. LM head the logits of one
 *   position are nearly Gaussian, and among ~92 k Gaussians the top two are typically only ~4 % of the top logit
 *   apart, so bf16 rounding noise (~1 % of the hidden state) flips the argmax at a good fraction of positions. Each
 *   row of {@code output.weight} is therefore multiplied by a log-normal factor (σ = 1): the winners come from the
 *   heavy tail of row norms, where neighbours are far apart. This raises the median top-1/top-2 gap from 4 % to
 *   14 % of the top logit on the tiny config ({@code LogitMarginTest}; 14 % too over 12 positions of the real
 *   2B geometry) while the argmax still varies from position to position.</li>
 * </ul>
 */
public final class InitScheme {
    /** σ of the log-normal row factor of the LM head; see the class comment. */
    public static final double LM_HEAD_ROW_SIGMA = 1.0;

    private static final double NORM_NOISE = 0.1;
    private static final double BIAS_STD = 0.1;
    private static final double POSITION_STD = 0.5;
    /** Per-layer tensors share an initialisation across layers, so they are looked up without this prefix. */
    private static final Pattern LAYER_PREFIX = Pattern.compile("^language_model\\.model\\.layers\\.\\d+\\.");

    private final ModelConfig config;

    public InitScheme(ModelConfig config) {
        this.config = config;
    }

    /** The initialisation of the tensor called {@code name}; every name of the checkpoint layout is known. */
    public TensorInit of(String name) {
        LlmConfig llm = config.llm();
        int hidden = llm.hiddenSize();
        double residual = Math.sqrt(2.0 * llm.numHiddenLayers());
        return switch (LAYER_PREFIX.matcher(name).replaceFirst("")) {
            case "language_model.model.tok_embeddings.weight" -> TensorInit.noise(1);
            case "language_model.output.weight" -> new TensorInit(0, fanIn(hidden), LM_HEAD_ROW_SIGMA);
            case "language_model.model.norm.weight", "attention_norm.weight", "ffn_norm.weight", "mlp1.0.weight" ->
                TensorInit.aroundOne(NORM_NOISE);
            case "attention.wqkv.weight" -> TensorInit.noise(fanIn(hidden));
            case "attention.wo.weight" -> TensorInit.noise(fanIn(llm.numAttentionHeads() * llm.headDim()) / residual);
            case "feed_forward.w1.weight",
                    "feed_forward.w3.weight",
                    "feed_forward_ve.w1.weight",
                    "feed_forward_ve.w3.weight" -> TensorInit.noise(fanIn(hidden));
            case "feed_forward.w2.weight", "feed_forward_ve.w2.weight" ->
                TensorInit.noise(fanIn(llm.intermediateSize()) / residual);
            case "vision_model.embeddings.patch_embedding.weight" -> {
                int patch = config.vision().patchSize();
                yield TensorInit.noise(fanIn(config.vision().numChannels() * patch * patch));
            }
            case "vision_model.embeddings.position_embedding", "vision_model.embeddings.class_embedding" ->
                TensorInit.noise(POSITION_STD);
            case "vision_model.embeddings.patch_embedding.bias", "mlp1.0.bias", "mlp1.1.bias", "mlp1.3.bias" ->
                TensorInit.noise(BIAS_STD);
            case "mlp1.1.weight" -> TensorInit.noise(fanIn(config.projectorInputSize()));
            case "mlp1.3.weight" -> TensorInit.noise(fanIn(hidden));
            default -> throw new IllegalArgumentException("no initialisation for tensor " + name);
        };
    }

    private static double fanIn(int inputs) {
        return 1 / Math.sqrt(inputs);
    }
}
