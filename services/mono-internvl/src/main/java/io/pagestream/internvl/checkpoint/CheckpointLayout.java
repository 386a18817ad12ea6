package io.pagestream.internvl.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a Mono-InternVL checkpoint must hold for a given config, with their shapes (spec section 1). Shapes
 * follow from the config, so comparing them against the checkpoint catches a config and weights that disagree before
 * any arithmetic runs on them.
 *
 * @param shapes expected shape by tensor name, language model first, in layer order
 */
public record CheckpointLayout(Map<String, List<Integer>> shapes) {
    private static final String LM = "language_model.";
    private static final String EMBEDDINGS = "vision_model.embeddings.";

    public CheckpointLayout {
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    }

    public static CheckpointLayout of(ModelConfig config) {
        LlmConfig l = config.llm();
        VisionConfig v = config.vision();
        int hidden = l.hiddenSize();
        int ffn = l.intermediateSize();
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        shapes.put(LM + "model.tok_embeddings.weight", List.of(l.vocabSize(), hidden));
        for (int n = 0; n < l.numHiddenLayers(); n++) {
            String layer = LM + "model.layers." + n + ".";
            shapes.put(layer + "attention.wqkv.weight", List.of(l.qkvRows(), hidden));
            shapes.put(layer + "attention.wo.weight", List.of(hidden, l.numAttentionHeads() * l.headDim()));
            shapes.put(layer + "attention_norm.weight", List.of(hidden));
            shapes.put(layer + "ffn_norm.weight", List.of(hidden));
            for (String expert : List.of("feed_forward.", "feed_forward_ve.")) {
                shapes.put(layer + expert + "w1.weight", List.of(ffn, hidden));
                shapes.put(layer + expert + "w2.weight", List.of(hidden, ffn));
                shapes.put(layer + expert + "w3.weight", List.of(ffn, hidden));
            }
        }
        shapes.put(LM + "model.norm.weight", List.of(hidden));
        shapes.put(LM + "output.weight", List.of(l.vocabSize(), hidden));
        shapes.put(
                EMBEDDINGS + "patch_embedding.weight",
                List.of(v.hiddenSize(), v.numChannels(), v.patchSize(), v.patchSize()));
        shapes.put(EMBEDDINGS + "patch_embedding.bias", List.of(v.hiddenSize()));
        shapes.put(EMBEDDINGS + "position_embedding", List.of(1, v.patchCount() + 1, v.hiddenSize()));
        shapes.put(EMBEDDINGS + "class_embedding", List.of(1, 1, v.hiddenSize()));
        int projectorIn = config.projectorInputSize();
        shapes.put("mlp1.0.weight", List.of(projectorIn));
        shapes.put("mlp1.0.bias", List.of(projectorIn));
        shapes.put("mlp1.1.weight", List.of(hidden, projectorIn));
        shapes.put("mlp1.1.bias", List.of(hidden));
        shapes.put("mlp1.3.weight", List.of(hidden, hidden));
        shapes.put("mlp1.3.bias", List.of(hidden));
        return new CheckpointLayout(shapes);
    }

    /** Compares a checkpoint's tensors with this layout, collecting every difference rather than stopping at one. */
    public Report check(Map<String, TensorInfo> tensors) {
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> expected : shapes.entrySet()) {
            TensorInfo actual = tensors.get(expected.getKey());
            if (actual == null) {
                missing.add(expected.getKey());
            } else if (!actual.shape().equals(expected.getValue())) {
                wrongShape.add(expected.getKey() + ": expected " + expected.getValue() + ", found " + actual.shape());
            }
        }
        List<String> unexpected = tensors.keySet().stream()
                .filter(name -> !shapes.containsKey(name))
                .toList();
        return new Report(missing, unexpected, wrongShape);
    }

    /** Specs for writing a checkpoint of this layout, in layout order. */
    public List<TensorSpec> specs(DType dtype) {
        return shapes.entrySet().stream()
                .map(e -> new TensorSpec(e.getKey(), dtype, e.getValue()))
                .toList();
    }

    /** What {@link #check} found; empty lists when the checkpoint matches. */
    public record Report(List<String> missing, List<String> unexpected, List<String> wrongShape) {
        public Report {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
            wrongShape = List.copyOf(wrongShape);
        }

        public boolean matches() {
            return missing.isEmpty() && unexpected.isEmpty() && wrongShape.isEmpty();
        }

        /** Throws one exception listing every problem, naming {@code source} (the checkpoint directory). */
        public void requireMatch(Object source) {
            if (matches()) {
                return;
            }
            StringBuilder message = new StringBuilder(source + ": tensors do not match " + ConfigJson.FILE_NAME);
            section(message, "missing", missing);
            section(message, "unexpected", unexpected);
            section(message, "wrong shape", wrongShape);
            throw new CheckpointException(message.toString());
        }

        private static void section(StringBuilder message, String title, List<String> items) {
            if (!items.isEmpty()) {
                message.append("\n  ")
                        .append(title)
                        .append(" (")
                        .append(items.size())
                        .append("):");
                items.forEach(item -> message.append("\n    ").append(item));
            }
        }
    }
}
