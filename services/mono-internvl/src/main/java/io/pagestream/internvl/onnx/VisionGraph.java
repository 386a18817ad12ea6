package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.checkpoint.VisionConfig;
import java.util.List;

/**
 * pixel_values [tiles, 3, S, S] → projector_rows [tiles · tokensPerTile, llm hidden] (spec 3.2–3.4): patch Conv,
 * position embedding, pixel shuffle, mlp1. Inputs and outputs are float32 whatever the precision; weights and
 * activations in between are in the given precision. The vision side is small, so it is never quantised.
 */
public final class VisionGraph {
    public static final String PIXEL_VALUES = "pixel_values";
    public static final String PROJECTOR_ROWS = "projector_rows";
    private static final String EMBEDDINGS = "vision_model.embeddings.";

    private VisionGraph() {}

    public static void build(GraphBuilder g, Checkpoint checkpoint, ModelConfig config, Precision precision) {
        build(g, checkpoint, config, precision, config.tileSize());
    }

    /**
     * For a tile size other than the one the position embedding was trained at (a multiple of twice the patch size),
     * the stored embedding grid is resampled bicubically once, here, and stored at the new size.
     */
    public static void build(GraphBuilder g, Checkpoint checkpoint, ModelConfig config, Precision precision, int tile) {
        VisionConfig v = config.vision();
        if (tile % (v.patchSize() * config.shuffleFactor()) != 0) {
            throw new IllegalArgumentException(
                    "tile size " + tile + " is not a multiple of " + v.patchSize() * config.shuffleFactor());
        }
        int side = tile / v.patchSize();
        int channels = v.hiddenSize();
        String pixels = g.input(PIXEL_VALUES, DataType.FLOAT, "tiles", v.numChannels(), tile, tile);
        String x = cast(g, pixels, precision);

        String kernel = g.weight(
                EMBEDDINGS + "patch_embedding.weight",
                precision.onnxType(),
                List.of((long) channels, (long) v.numChannels(), (long) v.patchSize(), (long) v.patchSize()),
                MatrixData.rowMajor(Matrix.of(checkpoint, EMBEDDINGS + "patch_embedding.weight"), precision));
        String bias = vector(g, checkpoint, EMBEDDINGS + "patch_embedding.bias", precision);
        String patches = g.op("Conv", x, kernel, bias)
                .attr("kernel_shape", (long) v.patchSize(), (long) v.patchSize())
                .attr("strides", (long) v.patchSize(), (long) v.patchSize())
                .out("patches");
        String position = g.weight(
                EMBEDDINGS + "position_embedding.grid",
                precision.onnxType(),
                List.of((long) channels, (long) side, (long) side),
                MatrixData.transposed(Matrix.of(positionGrid(checkpoint, v, side), side * side, channels), precision));
        String embedded = g.op("Add", patches, position).out("embedded");

        int factor = config.shuffleFactor();
        String shuffled = pixelShuffle(g, embedded, channels, side, factor, config.psVersion());
        int width = config.projectorInputSize();
        String rows = g.op("Reshape", shuffled, g.ints("rows_shape", -1, width)).out("shuffled_rows");
        String projected = projector(g.scope("mlp1"), checkpoint, rows, width, precision);
        String out = precision == Precision.FP32
                ? projected
                : g.op("Cast", projected)
                        .attr("to", (long) DataType.FLOAT.getNumber())
                        .out();
        g.op("Identity", out).exact(PROJECTOR_ROWS);
        g.output(PROJECTOR_ROWS, DataType.FLOAT, "rows", config.llm().hiddenSize());
    }

    /**
     * Pixel shuffle on the Conv output [tiles, C, side, side] (channel-first, so it needs no extra transpose):
     * output token (r2, c2) holds the factor×factor block at rows factor·r2 + dr, columns factor·c2 + dc, channel
     * index (dr · factor + dc) · C + ch. Version v2 orders tokens row-major (r2 · side/factor + c2), v1 column-major.
     * Returns [tiles, tokens, factor² · C].
     */
    public static String pixelShuffle(GraphBuilder g, String grid, int channels, int side, int factor, String version) {
        long half = side / factor;
        String blocks = g.op("Reshape", grid, g.ints("block_shape", -1, channels, half, factor, half, factor))
                .out("blocks");
        long[] perm =
                switch (version) {
                    case "v2" -> new long[] {0, 2, 4, 3, 5, 1};
                    case "v1" -> new long[] {0, 4, 2, 3, 5, 1};
                    default -> throw new IllegalArgumentException("unknown ps_version '" + version + "'");
                };
        String moved = g.op("Transpose", blocks).attr("perm", perm).out("shuffle");
        return g.op("Reshape", moved, g.ints("token_shape", -1, half * half, (long) factor * factor * channels))
                .out("tokens");
    }

    private static String projector(
            GraphBuilder g, Checkpoint checkpoint, String rows, int width, Precision precision) {
        String norm = g.op(
                        "LayerNormalization",
                        rows,
                        vector(g, checkpoint, "mlp1.0.weight", precision),
                        vector(g, checkpoint, "mlp1.0.bias", precision))
                .attr("axis", -1L)
                .attr("epsilon", 1e-5f)
                .out("norm");
        String up = dense(g, norm, checkpoint, "mlp1.1.weight", precision);
        String upBiased =
                g.op("Add", up, vector(g, checkpoint, "mlp1.1.bias", precision)).out();
        String act = g.op("Gelu", upBiased).out();
        String down = dense(g, act, checkpoint, "mlp1.3.weight", precision);
        return g.op("Add", down, vector(g, checkpoint, "mlp1.3.bias", precision))
                .out();
    }

    private static String dense(GraphBuilder g, String x, Checkpoint checkpoint, String name, Precision precision) {
        String w = Linear.dense(g, name, Matrix.of(checkpoint, name), precision)
                .initializers()
                .get(0);
        return g.op("MatMul", x, w).out();
    }

    /** The stored patch position embeddings [side², C] (class token dropped), resampled when the grid differs. */
    static float[] positionGrid(Checkpoint checkpoint, VisionConfig v, int side) {
        float[] stored = checkpoint.toFloatArray(EMBEDDINGS + "position_embedding");
        int channels = v.hiddenSize();
        int storedSide = v.patchesPerSide();
        float[] grid = new float[storedSide * storedSide * channels];
        System.arraycopy(stored, channels, grid, 0, grid.length);
        return storedSide == side ? grid : Bicubic.resize(grid, storedSide, channels, side);
    }

    static String vector(GraphBuilder g, Checkpoint checkpoint, String name, Precision precision) {
        Matrix values = Matrix.of(checkpoint, name);
        return g.weight(
                name, precision.onnxType(), List.of((long) values.cols()), MatrixData.rowMajor(values, precision));
    }

    static String cast(GraphBuilder g, String value, Precision precision) {
        return precision == Precision.FP32
                ? value
                : g.op("Cast", value)
                        .attr("to", (long) precision.onnxType().getNumber())
                        .out();
    }
}
