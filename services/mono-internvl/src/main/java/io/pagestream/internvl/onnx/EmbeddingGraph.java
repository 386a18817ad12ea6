package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import java.util.List;

/**
 * input_ids [B, S] int64 + image_rows [R, hidden] → inputs_embeds [B, S, hidden] and visual_mask [B, S] (spec 3.5).
 * Token embeddings are looked up, then every {@code <IMG_CONTEXT>} position takes the next image row in row-major
 * order over the whole batch. Doing the merge in a graph keeps the engine free of per-token Java loops and lets the
 * same mask feed the decoder's expert routing. A zero row is put in front of the image rows so that text positions
 * gather something valid and a batch without images (R = 0) needs no special case.
 */
public final class EmbeddingGraph {
    public static final String INPUT_IDS = "input_ids";
    public static final String IMAGE_ROWS = "image_rows";
    public static final String INPUTS_EMBEDS = "inputs_embeds";
    public static final String VISUAL_MASK = "visual_mask";
    public static final String TABLE = "language_model.model.tok_embeddings.weight";

    private EmbeddingGraph() {}

    public static void build(
            GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, int imageContextId, Precision precision) {
        long hidden = llm.hiddenSize();
        String ids = g.input(INPUT_IDS, DataType.INT64, "batch", "sequence");
        String imageRows = g.input(IMAGE_ROWS, DataType.FLOAT, "image_rows", hidden);
        String table = g.weight(
                TABLE,
                precision.onnxType(),
                List.of((long) llm.vocabSize(), hidden),
                MatrixData.rowMajor(Matrix.of(checkpoint, TABLE), precision));
        String looked = g.op("Gather", table, ids).attr("axis", 0L).out("token_embeds");
        String text = precision == Precision.FP32
                ? looked
                : g.op("Cast", looked)
                        .attr("to", (long) DataType.FLOAT.getNumber())
                        .out();

        String mask = g.op("Equal", ids, g.ints("image_context_id", new long[0], imageContextId))
                .exact(VISUAL_MASK)
                .get(0);
        String flatMask = g.op(
                        "Reshape",
                        g.op("Cast", mask)
                                .attr("to", (long) DataType.INT64.getNumber())
                                .out(),
                        g.ints("flat", -1))
                .out("flat_mask");
        String running =
                g.op("CumSum", flatMask, g.ints("axis0", new long[0], 0)).out("image_row_number");
        String rowIndex = g.op("Mul", running, flatMask).out("image_row_index");
        String zero = g.floats("zero_row", Precision.FP32, new long[] {1, hidden}, new float[(int) hidden]);
        String padded = g.op("Concat", zero, imageRows).attr("axis", 0L).out("padded_rows");
        String gathered = g.op("Gather", padded, rowIndex).attr("axis", 0L).out("gathered_rows");
        String shaped = g.op("Reshape", gathered, g.op("Shape", text).out()).out("image_embeds");
        String condition = g.op("Unsqueeze", mask, g.ints("last", -1)).out("mask_column");
        g.op("Where", condition, shaped, text).exact(INPUTS_EMBEDS);

        g.output(INPUTS_EMBEDS, DataType.FLOAT, "batch", "sequence", hidden);
        g.output(VISUAL_MASK, DataType.BOOL, "batch", "sequence");
    }
}
