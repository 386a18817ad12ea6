package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.TensorInfo;
import java.util.ArrayList;
import java.util.List;

/** Widens every tensor of a (tiny) checkpoint to float32 on the heap. */
final class WeightsLoader {
    private static final String LM = "language_model.";
    private static final String VISION = "vision_model.embeddings.";

    private final Checkpoint tensors;

    private WeightsLoader(Checkpoint tensors) {
        this.tensors = tensors;
    }

    /** Refuses checkpoints above {@code maxParameters}: the reference keeps all weights as float32 arrays. */
    static ModelWeights load(ModelCheckpoint checkpoint, long maxParameters) {
        long parameters = checkpoint.tensors().tensors().values().stream()
                .mapToLong(TensorInfo::elementCount)
                .sum();
        if (parameters > maxParameters) {
            throw new IllegalArgumentException(checkpoint.tensors().dir() + " has " + parameters
                    + " parameters; the plain-Java reference model holds every weight as float32 on the heap and"
                    + " is meant for tiny test models only (limit " + maxParameters + ")");
        }
        return new WeightsLoader(checkpoint.tensors())
                .model(checkpoint.config().llm(), checkpoint.config().projectorInputSize());
    }

    private ModelWeights model(LlmConfig llm, int projectorInput) {
        int hidden = llm.hiddenSize();
        List<LayerWeights> layers = new ArrayList<>();
        for (int n = 0; n < llm.numHiddenLayers(); n++) {
            String layer = LM + "model.layers." + n + ".";
            layers.add(new LayerWeights(
                    floats(layer + "attention_norm.weight"),
                    linear(layer + "attention.wqkv.weight", null, llm.qkvRows(), hidden),
                    linear(layer + "attention.wo.weight", null, hidden, llm.numAttentionHeads() * llm.headDim()),
                    floats(layer + "ffn_norm.weight"),
                    feedForward(layer + "feed_forward.", llm),
                    feedForward(layer + "feed_forward_ve.", llm)));
        }
        VisionWeights vision = new VisionWeights(
                floats(VISION + "patch_embedding.weight"),
                floats(VISION + "patch_embedding.bias"),
                floats(VISION + "position_embedding"),
                floats("mlp1.0.weight"),
                floats("mlp1.0.bias"),
                linear("mlp1.1.weight", "mlp1.1.bias", hidden, projectorInput),
                linear("mlp1.3.weight", "mlp1.3.bias", hidden, hidden));
        return new ModelWeights(
                floats(LM + "model.tok_embeddings.weight"),
                layers,
                floats(LM + "model.norm.weight"),
                linear(LM + "output.weight", null, llm.vocabSize(), hidden),
                vision);
    }

    private FeedForward feedForward(String prefix, LlmConfig llm) {
        int hidden = llm.hiddenSize();
        int inner = llm.intermediateSize();
        return new FeedForward(
                linear(prefix + "w1.weight", null, inner, hidden),
                linear(prefix + "w2.weight", null, hidden, inner),
                linear(prefix + "w3.weight", null, inner, hidden));
    }

    private Linear linear(String weight, String bias, int out, int in) {
        return new Linear(floats(weight), bias == null ? null : floats(bias), out, in);
    }

    private float[] floats(String name) {
        return tensors.toFloatArray(name);
    }
}
