package io.pagestream.internvl.reference;

import java.util.List;

/**
 * All weights of a model as float32 arrays.
 *
 * @param embeddings {@code tok_embeddings}, {@code [vocab, hidden]}
 * @param finalNorm  {@code model.norm}
 * @param head       {@code output}, the LM head
 */
record ModelWeights(
        float[] embeddings, List<LayerWeights> layers, float[] finalNorm, Linear head, VisionWeights vision) {
    ModelWeights {
        layers = List.copyOf(layers);
    }
}
