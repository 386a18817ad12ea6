package io.pagestream.internvl.reference;

import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.image.PixelTiles;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-Java float32 forward pass of Mono-InternVL written directly from the spec: naive loops, no batching, no
 * fused kernels. It is the yardstick the real engine is compared against, so it favours being obviously right over
 * being fast, and only runs tiny models.
 */
public final class ReferenceModel {
    /** Enough for the tiny test configs (their 92553-row vocabulary dominates); the real 3.1 B model is refused. */
    public static final long DEFAULT_MAX_PARAMETERS = 50_000_000L;

    private final ModelConfig config;
    private final ModelWeights weights;
    private final List<DecoderLayer> layers;
    private final VisionEncoder vision;

    private ReferenceModel(ModelConfig config, ModelWeights weights) {
        this.config = config;
        this.weights = weights;
        List<DecoderLayer> decoderLayers = new ArrayList<>();
        for (LayerWeights layer : weights.layers()) {
            decoderLayers.add(new DecoderLayer(config.llm(), layer));
        }
        this.layers = List.copyOf(decoderLayers);
        this.vision = new VisionEncoder(config, weights.vision());
    }

    public static ReferenceModel load(ModelCheckpoint checkpoint) {
        return load(checkpoint, DEFAULT_MAX_PARAMETERS);
    }

    public static ReferenceModel load(ModelCheckpoint checkpoint, long maxParameters) {
        return new ReferenceModel(checkpoint.config(), WeightsLoader.load(checkpoint, maxParameters));
    }

    public ModelConfig config() {
        return config;
    }

    /** Projector rows for preprocessed tiles: {@code [tiles · tokens per tile][hidden]}. */
    public float[][] encodeImage(PixelTiles tiles) {
        return encodeImage(tiles.values(), tiles.tileCount(), tiles.tileSize());
    }

    /**
     * Projector rows for {@code [tiles, 3, tileSize, tileSize]} pixel values. A tile size other than the config's
     * (a multiple of twice the patch size) is accepted and resamples the position embedding bicubically.
     */
    public float[][] encodeImage(float[] pixels, int tiles, int tileSize) {
        return vision.encode(pixels, tiles, tileSize);
    }

    /** A new sequence with an empty KV cache. */
    public ReferenceSession newSession() {
        return new ReferenceSession(this);
    }

    /** Runs each request on its own session; the sequences share nothing. */
    public List<ReferenceBatch.Result> runBatch(List<ReferenceBatch.Request> requests) {
        return ReferenceBatch.run(this, requests);
    }

    InputEmbedder.Embedded embed(int[] ids, float[][] imageRows) {
        return InputEmbedder.embed(
                ids, imageRows, weights.embeddings(), config.llm().hiddenSize());
    }

    float[] tokenEmbedding(int id) {
        return InputEmbedder.lookup(id, weights.embeddings(), config.llm().hiddenSize());
    }

    List<DecoderLayer> layers() {
        return layers;
    }

    /** Final norm and LM head for one hidden row. */
    float[] logits(float[] hidden) {
        return weights.head()
                .apply(Functions.rmsNorm(
                        hidden, weights.finalNorm(), config.llm().rmsNormEps()));
    }
}
