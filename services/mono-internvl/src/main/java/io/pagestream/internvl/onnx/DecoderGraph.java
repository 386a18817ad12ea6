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
 *
 * <p>With {@link DecoderOptions#fp32Residual()} the residual stream and the norms stay in float32 in a half-precision
 * graph; only the norms' outputs are cast down for the matmuls and the attention and FFN outputs cast up for the add.
 *
 * <p>{@link #buildWithActivationMaxima} adds, for measurement tools only, one float32 scalar output per recorded
 * tensor holding its largest absolute value over the whole call ({@link #activationMax}): the embeddings, and per
 * layer the residual stream after the attention add and after the FFN add, the attention output (after {@code wo}),
 * the FFN intermediate {@code silu(w1·y) ⊙ (w3·y)} of the expert each token was routed to, and the FFN output; and
 * the logits. Those graphs are never part of a conversion.
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
    private final boolean maxima;
    private final Precision residualPrecision;

    /** The tensors {@link #buildWithActivationMaxima} records, in layer order. */
    public enum Recorded {
        /** The residual stream after the attention add, {@code h = x + attention}. */
        RESIDUAL_ATTENTION("residual_attention"),
        /** The attention output after {@code wo}, the value added to the residual. */
        ATTENTION_OUT("attention_out"),
        /** {@code silu(w1·y) ⊙ (w3·y)} of the expert each token went to, the input of {@code w2}. */
        FFN_INTERMEDIATE("ffn_intermediate"),
        /** The FFN output after {@code w2}, the value added to the residual. */
        FFN_OUT("ffn_out"),
        /** The residual stream after the FFN add: the layer's output. */
        RESIDUAL_OUT("residual_out");

        private final String key;

        Recorded(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** The FFN of layer {@code n} on its normed input {@code y}; {@code prefix} names the layer's weights. */
    private interface Ffn {
        String apply(GraphBuilder layer, int n, String prefix, String y);
    }

    private DecoderGraph(
            GraphBuilder g,
            Checkpoint checkpoint,
            LlmConfig llm,
            DecoderOptions options,
            boolean decodeOnly,
            boolean maxima) {
        this.g = g;
        this.checkpoint = checkpoint;
        this.llm = llm;
        this.options = options;
        this.decodeOnly = decodeOnly;
        this.maxima = maxima;
        this.precision = options.dtype().precision();
        this.residualPrecision = options.residualPrecision();
        this.linear = new Linear(options.dtype(), options.int4());
    }

    /** The scalar output holding max |value| of {@code what} in layer {@code layer}. */
    public static String activationMax(int layer, Recorded what) {
        return "activation_max." + layer + "." + what.key();
    }

    /** The scalar output holding max |value| of the input embeddings. */
    public static final String EMBEDDINGS_MAX = "activation_max.embeddings";
    /** The scalar output holding max |value| of the logits. */
    public static final String LOGITS_MAX = "activation_max.logits";

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
        new DecoderGraph(g, checkpoint, llm, options, false, false).build();
    }

    /** The decode-step graph: the decoder with the text FFN in every layer (see the class comment). */
    public static void buildDecodeOnly(GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, DecoderOptions options) {
        new DecoderGraph(g, checkpoint, llm, options, true, false).build();
    }

    /**
     * The decoder of {@link #build} plus the activation-maximum outputs ({@link #activationMax},
     * {@link #EMBEDDINGS_MAX}, {@link #LOGITS_MAX}), for measurement tools.
     */
    public static void buildWithActivationMaxima(
            GraphBuilder g, Checkpoint checkpoint, LlmConfig llm, DecoderOptions options) {
        new DecoderGraph(g, checkpoint, llm, options, false, true).build();
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

        String residual = VisionGraph.cast(g, embeds, residualPrecision);
        record(g, embeds, EMBEDDINGS_MAX);
        String delta = null;
        for (int n = 0; n < llm.numHiddenLayers(); n++) {
            GraphBuilder layer = g.scope("layers." + n);
            String prefix = LM + "model.layers." + n + ".";
            String attnNorm = normWeight(prefix + "attention_norm.weight");
            String normed;
            if (delta == null) {
                normed = layer.op("SimplifiedLayerNormalization", residual, attnNorm)
                        .attr("axis", -1L)
                        .attr("epsilon", (float) llm.rmsNormEps())
                        .attr("stash_type", 1L)
                        .out("attention_norm");
            } else {
                List<String> outs = skipNorm(layer, residual, delta, attnNorm, "attention_norm", "residual");
                normed = outs.get(0);
                residual = outs.get(3);
                record(layer, residual, activationMax(n - 1, Recorded.RESIDUAL_OUT));
            }
            String attention =
                    attention(layer.scope("attention"), n, prefix, toCompute(layer, normed), seqlens, total, cos, sin);
            record(layer, attention, activationMax(n, Recorded.ATTENTION_OUT));
            List<String> outs = skipNorm(
                    layer, residual, attention, normWeight(prefix + "ffn_norm.weight"), "ffn_norm", "residual");
            residual = outs.get(3);
            record(layer, residual, activationMax(n, Recorded.RESIDUAL_ATTENTION));
            delta = ffn.apply(layer, n, prefix, toCompute(layer, outs.get(0)));
            record(layer, delta, activationMax(n, Recorded.FFN_OUT));
        }
        List<String> last = skipNorm(
                g, residual, delta, normWeight(LM + "model.norm.weight"), "final_norm", maxima ? "residual" : "");
        record(g, last.get(3), activationMax(llm.numHiddenLayers() - 1, Recorded.RESIDUAL_OUT));
        String finalNorm = toCompute(g, last.get(0));
        boolean allLogits = options.allLogits() && !decodeOnly;
        String head = allLogits ? finalNorm : lastPositions(g.scope("last"), finalNorm, seqlens, total);
        Linear.Weight output = linear.weight(g, LM + "output.weight", Matrix.of(checkpoint, LM + "output.weight"));
        String logits = linear.apply(g.scope("lm_head"), head, output);
        if (precision != Precision.FP32) {
            logits = g.op("Cast", logits)
                    .attr("to", (long) DataType.FLOAT.getNumber())
                    .out();
        }
        record(g, logits, LOGITS_MAX);
        g.op("Identity", logits).exact(LOGITS);
        g.output(LOGITS, DataType.FLOAT, "batch", allLogits ? "sequence" : 1, (long) llm.vocabSize());
    }

    /** A norm's output, cast from the residual precision down to the compute precision where they differ. */
    private String toCompute(GraphBuilder b, String x) {
        return residualPrecision == precision
                ? x
                : b.op("Cast", x)
                        .attr("to", (long) precision.onnxType().getNumber())
                        .out("to_compute");
    }

    /** A value added to the residual stream, cast up to the residual precision where it differs. */
    private String toResidual(GraphBuilder b, String x) {
        return residualPrecision == precision
                ? x
                : b.op("Cast", x)
                        .attr("to", (long) residualPrecision.onnxType().getNumber())
                        .out("to_residual");
    }

    /** With activation maxima on, adds the float32 scalar output {@code name} = max |x| over all of x. */
    private void record(GraphBuilder b, String x, String name) {
        if (!maxima) {
            return;
        }
        g.op("Identity", maxAbs(b, x)).exact(name);
        g.output(name, DataType.FLOAT);
    }

    /** max |x| over every element, as a float32 scalar (NaN and infinity propagate). */
    private static String maxAbs(GraphBuilder b, String x) {
        String wide =
                b.op("Cast", x).attr("to", (long) DataType.FLOAT.getNumber()).out("max_input");
        return b.op("ReduceMax", b.op("Abs", wide).out()).attr("keepdims", 0L).out("max_abs");
    }

    private String attention(
            GraphBuilder a, int n, String prefix, String x, String seqlens, String total, String cos, String sin) {
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

    /** The residual add and RMSNorm, in the residual precision ({@code skip} is cast up to it first). */
    private List<String> skipNorm(
            GraphBuilder b, String input, String skip, String weight, String hint, String sumHint) {
        return b.op("SkipSimplifiedLayerNormalization", input, toResidual(b, skip), weight)
                .domain(GraphBuilder.MS_DOMAIN)
                .attr("epsilon", (float) llm.rmsNormEps())
                .outs(hint, "", "", sumHint);
    }

    /** Routing by the visual mask, computed once for all layers. */
    private Ffn routing(String mask) {
        GraphBuilder routing = g.scope("routing");
        String anyVisual = routing.op(
                        "Cast",
                        routing.op(
                                        "ReduceMax",
                                        routing.op("Cast", mask)
                                                .attr("to", (long) DataType.INT32.getNumber())
                                                .out())
                                .attr("keepdims", 0L)
                                .out())
                .attr("to", (long) DataType.BOOL.getNumber())
                .out("any_visual");
        String maskColumn =
                routing.op("Unsqueeze", mask, routing.ints("last", -1)).out("mask_column");
        return (layer, n, prefix, y) -> routedFfn(layer, n, prefix, y, anyVisual, maskColumn);
    }

    private String textFfn(GraphBuilder layer, int n, String prefix, String y) {
        String[] out = ffnWithIntermediate(layer.scope("text_expert"), y, ffnWeights(layer, prefix + "feed_forward."));
        record(layer, out[1], activationMax(n, Recorded.FFN_INTERMEDIATE));
        return out[0];
    }

    private String routedFfn(GraphBuilder layer, int n, String prefix, String y, String anyVisual, String maskColumn) {
        Linear.Weight[] text = ffnWeights(layer, prefix + "feed_forward.");
        Linear.Weight[] visual = ffnWeights(layer, prefix + "feed_forward_ve.");

        GraphBuilder both = layer.subgraph("both_experts");
        String[] visualOut = ffnWithIntermediate(both.scope("visual"), y, visual);
        String[] textOut = ffnWithIntermediate(both.scope("text"), y, text);
        String mixed = both.op("Where", maskColumn, visualOut[0], textOut[0]).out("routed");
        both.outputOfRank(mixed, precision.onnxType(), 3);

        GraphBuilder textOnly = layer.subgraph("text_expert");
        String[] plain = ffnWithIntermediate(textOnly.scope("text"), y, text);
        textOnly.outputOfRank(plain[0], precision.onnxType(), 3);

        if (maxima) {
            String routedInner =
                    both.op("Where", maskColumn, visualOut[1], textOut[1]).out("routed_intermediate");
            both.outputOfRank(maxAbs(both, routedInner), DataType.FLOAT, 0);
            textOnly.outputOfRank(maxAbs(textOnly, plain[1]), DataType.FLOAT, 0);
        }
        GraphBuilder.Node node =
                layer.op("If", anyVisual).attr("then_branch", both.graph()).attr("else_branch", textOnly.graph());
        if (!maxima) {
            return node.out("ffn");
        }
        List<String> outs = node.outs("ffn", "ffn_intermediate_max");
        g.op("Identity", outs.get(1)).exact(activationMax(n, Recorded.FFN_INTERMEDIATE));
        g.output(activationMax(n, Recorded.FFN_INTERMEDIATE), DataType.FLOAT);
        return outs.get(0);
    }

    private Linear.Weight[] ffnWeights(GraphBuilder b, String expert) {
        Linear.Weight[] weights = new Linear.Weight[3];
        for (int i = 0; i < 3; i++) {
            String name = expert + "w" + (i + 1) + ".weight";
            weights[i] = linear.weight(b, name, Matrix.of(checkpoint, name));
        }
        return weights;
    }

    /** The FFN's output and its intermediate silu(w1 · y) ⊙ (w3 · y). */
    private String[] ffnWithIntermediate(GraphBuilder b, String y, Linear.Weight[] w) {
        String gate = linear.apply(b, y, w[0]);
        String silu = b.op("Mul", gate, b.op("Sigmoid", gate).out()).out("silu");
        String up = linear.apply(b, y, w[2]);
        String gated = b.op("Mul", silu, up).out("gated");
        return new String[] {linear.apply(b, gated, w[1]), gated};
    }

    /**
     * Each row's last valid position, [B, 1, hidden]. In this chunk it is seqlens_k − (total − S), clamped to
     * [0, S − 1]: that is S − 1 for one row on top of a cache, seqlens_k for a right-padded prefill (no cache), and
     * 0 for a batched decode step, the three shapes of call GroupQueryAttention accepts.
     */
    private String lastPositions(GraphBuilder b, String x, String seqlens, String total) {
        String length = b.op("Shape", x).attr("start", 1L).attr("end", 2L).out("chunk_length");
        String seq64 = b.op("Cast", seqlens)
                .attr("to", (long) DataType.INT64.getNumber())
                .out();
        String total64 = b.op("Cast", total)
                .attr("to", (long) DataType.INT64.getNumber())
                .out();
        String past = b.op("Sub", total64, length).out("chunk_start");
        String raw = b.op("Sub", seq64, past).out("raw_index");
        String upper = b.op("Sub", length, b.ints("one", 1)).out("last_in_chunk");
        String clamped =
                b.op("Max", b.op("Min", raw, upper).out(), b.ints("zero", 0)).out("index");
        String indices = b.op("Unsqueeze", clamped, b.ints("axis_last", -1)).out("indices");
        String rows = b.op("GatherND", x, indices).attr("batch_dims", 1L).out("rows");
        return b.op("Unsqueeze", rows, b.ints("axis_one", 1)).out("last_rows");
    }

    /** A norm weight, in the precision of the residual stream its norm reads. */
    private String normWeight(String name) {
        return VisionGraph.vector(g, checkpoint, name, residualPrecision);
    }

    private String table(GraphBuilder b, String name, float[] values, int rows, int cols) {
        return b.weight(
                name,
                precision.onnxType(),
                List.of((long) rows, (long) cols),
                MatrixData.rowMajor(Matrix.of(values, rows, cols), precision));
    }
}
