package io.pagestream.internvl.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.LlmConfig;
import java.util.List;

/**
 * The InternLM2 decoder with visual FFN experts (spec 3.6–3.7), one step of prefill or decode.
 *
 * <p>Inputs: {@code inputs_embeds} [B, S, hidden] float32, {@code visual_mask} [B, S] bool, {@code seqlens_k} [B]
 * int32 (each row's total length − 1), {@code total_sequence_length} int32 scalar (the batch maximum), and per layer
 * {@code past_key_values.N.key/value} [B, kvHeads, T, headDim] in the model precision (T may be 0, or the capacity
 * of a shared buffer). Outputs: {@code logits} float32 and {@code present.N.key/value}.
 *
 * <p>Attention is {@code com.microsoft.GroupQueryAttention} on a packed [Q | K | V] projection with rotary applied
 * inside the op from cos/sin tables for max_position_embeddings positions ({@link RopeCache}). The FFN is routed by
 * an {@code If} on "any visual token in the batch": its then-branch runs both experts and picks per token with
 * {@code Where}, its else-branch only the text expert, so decode steps and text-only prompts pay for one FFN.
 *
 * <p>{@link #buildDecodeOnly} makes the same graph for decode steps, which never carry an image token (spec 3.6):
 * every layer runs the text FFN, so there is no {@code visual_mask} input, no {@code If} and no visual-expert
 * weight. On CUDA an {@code If}'s condition is read on the host, which would stall every layer of every step. Its
 * logits are always each row's last position, [B, 1, vocab]. Built over the decoder's {@link WeightFile}, it refers
 * to the decoder's bytes instead of writing its own.
 */
public final class DecoderGraph {
    public static final String INPUTS_EMBEDS = "inputs_embeds";
    public static final String VISUAL_MASK = "visual_mask";
    public static final String SEQLENS_K = "seqlens_k";
    public static final String TOTAL_SEQUENCE_LENGTH = "total_sequence_length";
    public static final String LOGITS = "logits";
    private static final String LM = "language_model.";

    private final GraphBuilder g;
    private final Checkpoint checkpoint;
    private final LlmConfig llm;
    private final DecoderOptions options;
    private final Precision precision;
    private final Linear linear;
    private final boolean decodeOnly;

    /** The FFN of one layer on its normed input {@code y}; {@code prefix} names the layer's weights. */
    private interface Ffn {
        String apply(GraphBuilder layer, String prefix, String y);
    }

    private DecoderGraph(GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, DecoderOptions options,
            boolean decodeOnly) {
        this.g = g;
        this.checkpoint = checkpoint;
        this.llm = llm;
        this.options = options;
        this.decodeOnly = decodeOnly;
        this.precision = options.dtype().precision();
        this.linear = new Linear(options.dtype(), options.int4());
    }

    public static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    public static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    public static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    public static String presentValue(int layer) {
        return "present." + layer + ".value";
    }

    public static void build(GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, DecoderOptions options) {
        new DecoderGraph(g, checkpoint, llm, options, false).build();
    }

    /** The decode-step graph: the decoder with the text FFN in every layer (see the class comment). */
    public static void buildDecodeOnly(GraphBuilder g, Checkpoint checkpoint, LlmConfig llm,
            DecoderOptions options) {
        new DecoderGraph(g, checkpoint, llm, options, true).build();
    }

    private void build() {
        long hidden = llm.hiddenSize();
        String embeds = g.input(INPUTS_EMBEDS, DataType.FLOAT, "batch", "sequence", hidden);
        Ffn ffn = decodeOnly ? this::textFfn : routing(g.input(VISUAL_MASK, DataType.BOOL, "batch", "sequence"));
        String seqlens = g.input(SEQLENS_K, DataType.INT32, "batch");
        String total = g.input(TOTAL_SEQUENCE_LENGTH, DataType.INT32);
        RopeCache rope = RopeCache.of(llm.ropeTheta(), llm.headDim(), llm.maxPositionEmbeddings());
        String cos = table(g, "rope.cos_cache", rope.cos(), rope.positions(), rope.half());
        String sin = table(g, "rope.sin_cache", rope.sin(), rope.positions(), rope.half());

        String residual = VisionGraph.cast(g, embeds, precision);
        String delta = null;
        for (int n = 0; n < llm.numHiddenLayers(); n++) {
            GraphBuilder layer = g.scope("layers." + n);
            String prefix = LM + "model.layers." + n + ".";
            String attnNorm = vector(prefix + "attention_norm.weight");
            String normed;
            if (delta == null) {
                normed = layer.op("SimplifiedLayerNormalization", residual, attnNorm)
                        .attr("axis", -1L).attr("epsilon", (float) llm.rmsNormEps()).attr("stash_type", 1L)
                        .out("attention_norm");
            } else {
                List<String> outs = skipNorm(layer, residual, delta, attnNorm, "attention_norm", "residual");
                normed = outs.get(0);
                residual = outs.get(3);
            }
            String attention = attention(layer.scope("attention"), n, prefix, normed, seqlens, total, cos, sin);
            List<String> outs = skipNorm(layer, residual, attention, vector(prefix + "ffn_norm.weight"),
                    "ffn_norm", "residual");
            residual = outs.get(3);
            delta = ffn.apply(layer, prefix, outs.get(0));
        }
        String finalNorm = skipNorm(g, residual, delta, vector(LM + "model.norm.weight"), "final_norm", "").get(0);
        boolean allLogits = options.allLogits() && !decodeOnly;
        String head = allLogits ? finalNorm : lastPositions(g.scope("last"), finalNorm, seqlens, total);
        Linear.Weight output = linear.weight(g, LM + "output.weight", Matrix.of(checkpoint, LM + "output.weight"));
        String logits = linear.apply(g.scope("lm_head"), head, output);
        if (precision != Precision.FP32) {
            logits = g.op("Cast", logits).attr("to", (long) DataType.FLOAT.getNumber()).out();
        }
        g.op("Identity", logits).exact(LOGITS);
        g.output(LOGITS, DataType.FLOAT, "batch", allLogits ? "sequence" : 1, (long) llm.vocabSize());
    }

    private String attention(GraphBuilder a, int n, String prefix, String x, String seqlens, String total,
            String cos, String sin) {
        long kvHeads = llm.numKeyValueHeads();
        long headDim = llm.headDim();
        DataType kvType = precision.onnxType();
        String pastKey = g.input(pastKey(n), kvType, "batch", kvHeads, "past_sequence", headDim);
        String pastValue = g.input(pastValue(n), kvType, "batch", kvHeads, "past_sequence", headDim);
        Matrix wqkv = Matrix.of(checkpoint, prefix + "attention.wqkv.weight").permuteRows(QkvLayout.sourceRows(llm));
        String qkv = linear.apply(a, x, linear.weight(a, prefix + "attention.wqkv.weight", wqkv));
        List<String> outs = a.op("GroupQueryAttention", qkv, "", "", pastKey, pastValue, seqlens, total, cos, sin)
                .domain(GraphBuilder.MS_DOMAIN)
                .attr("num_heads", (long) llm.numAttentionHeads())
                .attr("kv_num_heads", kvHeads)
                .attr("do_rotary", 1L)
                .attr("rotary_interleaved", 0L)
                .named(a.name("gqa"), g.exactName(presentKey(n)), g.exactName(presentValue(n)));
        for (String present : outs.subList(1, 3)) {
            g.output(present, kvType, "batch", kvHeads, "present_sequence", headDim);
        }
        String wo = prefix + "attention.wo.weight";
        return linear.apply(a, outs.get(0), linear.weight(a, wo, Matrix.of(checkpoint, wo)));
    }

    private List<String> skipNorm(GraphBuilder b, String input, String skip, String weight, String hint,
            String sumHint) {
        return b.op("SkipSimplifiedLayerNormalization", input, skip, weight)
                .domain(GraphBuilder.MS_DOMAIN)
                .attr("epsilon", (float) llm.rmsNormEps())
                .outs(hint, "", "", sumHint);
    }

    /** Routing by the visual mask, computed once for all layers. */
    private Ffn routing(String mask) {
        GraphBuilder routing = g.scope("routing");
        String anyVisual = routing.op("Cast", routing.op("ReduceMax",
                        routing.op("Cast", mask).attr("to", (long) DataType.INT32.getNumber()).out())
                        .attr("keepdims", 0L).out())
                .attr("to", (long) DataType.BOOL.getNumber()).out("any_visual");
        String maskColumn = routing.op("Unsqueeze", mask, routing.ints("last", -1)).out("mask_column");
        return (layer, prefix, y) -> routedFfn(layer, prefix, y, anyVisual, maskColumn);
    }

    private String textFfn(GraphBuilder layer, String prefix, String y) {
        return ffn(layer.scope("text_expert"), y, ffnWeights(layer, prefix + "feed_forward."));
    }

    private String routedFfn(GraphBuilder layer, String prefix, String y, String anyVisual, String maskColumn) {
        Linear.Weight[] text = ffnWeights(layer, prefix + "feed_forward.");
        Linear.Weight[] visual = ffnWeights(layer, prefix + "feed_forward_ve.");

        GraphBuilder both = layer.subgraph("both_experts");
        String mixed = both.op("Where", maskColumn, ffn(both.scope("visual"), y, visual),
                ffn(both.scope("text"), y, text)).out("routed");
        both.outputOfRank(mixed, precision.onnxType(), 3);

        GraphBuilder textOnly = layer.subgraph("text_expert");
        String plain = ffn(textOnly.scope("text"), y, text);
        textOnly.outputOfRank(plain, precision.onnxType(), 3);

        return layer.op("If", anyVisual)
                .attr("then_branch", both.graph())
                .attr("else_branch", textOnly.graph())
                .out("ffn");
    }

    private Linear.Weight[] ffnWeights(GraphBuilder b, String expert) {
        Linear.Weight[] weights = new Linear.Weight[3];
        for (int i = 0; i < 3; i++) {
            String name = expert + "w" + (i + 1) + ".weight";
            weights[i] = linear.weight(b, name, Matrix.of(checkpoint, name));
        }
        return weights;
    }

    /** w2(silu(w1 · y) ⊙ (w3 · y)). */
    private String ffn(GraphBuilder b, String y, Linear.Weight[] w) {
        String gate = linear.apply(b, y, w[0]);
        String silu = b.op("Mul", gate, b.op("Sigmoid", gate).out()).out("silu");
        String up = linear.apply(b, y, w[2]);
        return linear.apply(b, b.op("Mul", silu, up).out("gated"), w[1]);
    }

    /**
     * Each row's last valid position, [B, 1, hidden]. In this chunk it is seqlens_k − (total − S), clamped to
     * [0, S − 1]: that is S − 1 for one row on top of a cache, seqlens_k for a right-padded prefill (no cache), and
     * 0 for a batched decode step, the three shapes of call GroupQueryAttention accepts.
     */
    private String lastPositions(GraphBuilder b, String x, String seqlens, String total) {
        String length = b.op("Shape", x).attr("start", 1L).attr("end", 2L).out("chunk_length");
        String seq64 = b.op("Cast", seqlens).attr("to", (long) DataType.INT64.getNumber()).out();
        String total64 = b.op("Cast", total).attr("to", (long) DataType.INT64.getNumber()).out();
        String past = b.op("Sub", total64, length).out("chunk_start");
        String raw = b.op("Sub", seq64, past).out("raw_index");
        String upper = b.op("Sub", length, b.ints("one", 1)).out("last_in_chunk");
        String clamped = b.op("Max", b.op("Min", raw, upper).out(), b.ints("zero", 0)).out("index");
        String indices = b.op("Unsqueeze", clamped, b.ints("axis_last", -1)).out("indices");
        String rows = b.op("GatherND", x, indices).attr("batch_dims", 1L).out("rows");
        return b.op("Unsqueeze", rows, b.ints("axis_one", 1)).out("last_rows");
    }

    private String vector(String name) {
        return VisionGraph.vector(g, checkpoint, name, precision);
    }

    private String table(GraphBuilder b, String name, float[] values, int rows, int cols) {
        return b.weight(name, precision.onnxType(), List.of((long) rows, (long) cols),
                MatrixData.rowMajor(Matrix.of(values, rows, cols), precision));
    }
}
