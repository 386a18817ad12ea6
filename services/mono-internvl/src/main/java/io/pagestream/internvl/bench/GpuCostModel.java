package io.pagestream.internvl.bench;

import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a decode step and a page prefill of Mono-InternVL should cost on a GPU, from the model's shapes and a GPU's
 * datasheet figures alone: no measurement goes in. A decode step streams the text-path weights once (the visual FFN
 * experts are not read: decode routes every token to the text FFN) plus each row's KV cache, so it is bound by
 * device-memory bandwidth; its FLOPs are checked against the tensor-core peak to show it. A prefill is bound by
 * compute. Each bound is divided by an efficiency factor ({@link Assumptions}) that is an assumption, not a measurement.
 *
 * <p>Byte counts are exact for the shapes; milliseconds are only as good as the datasheet figures and the factors.
 * {@code docs/gpu-cost-model.md} prints this model's output and derives every figure by hand.
 */
public final class GpuCostModel {
    private static final int BYTES_FP16 = 2;
    private static final int INT4_BLOCK = 32;

    /** How weights are stored on the device. KV cache and activations are 16-bit in all three. */
    public enum Weights {
        FP16,
        BF16,
        /** 4-bit weights in blocks of 32 with one fp16 scale per block, no zero points (symmetric); other weights fp16. */
        INT4;

        public static Weights of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What share of the datasheet peaks the estimates assume, and the prompt's text around the image tokens.
     *
     * @param bandwidthEfficiency share of peak device-memory bandwidth a decode step reaches
     * @param computeEfficiency   share of peak dense FP16/BF16 tensor FLOP/s a prefill reaches
     * @param hostLinkEfficiency  share of the host link's peak a copy reaches
     * @param promptTextTokens    tokens of a page prompt besides its image tokens (system prompt, template, question)
     */
    public record Assumptions(
            double bandwidthEfficiency, double computeEfficiency, double hostLinkEfficiency, int promptTextTokens) {
        public static final Assumptions DEFAULT = new Assumptions(0.8, 0.6, 0.8, 60);

        public Assumptions {
            if (bandwidthEfficiency <= 0
                    || bandwidthEfficiency > 1
                    || computeEfficiency <= 0
                    || computeEfficiency > 1
                    || hostLinkEfficiency <= 0
                    || hostLinkEfficiency > 1
                    || promptTextTokens < 0) {
                throw new IllegalArgumentException("efficiencies must be in (0, 1]: " + this);
            }
        }
    }

    /**
     * One decode step.
     *
     * @param bytes       bytes the step reads from (and, for logits, writes to) device memory
     * @param flops       FLOPs of the step (weights × 2 per row, attention over the context)
     * @param bandwidthMs bytes ÷ (peak bandwidth × efficiency)
     * @param computeMs   FLOPs ÷ (peak FLOP/s × efficiency)
     * @param ms          the larger of the two: the expectation
     * @param fits        whether the resident weights plus this batch's KV fit in device memory
     */
    public record Decode(
            int batch,
            int context,
            double bytes,
            double flops,
            double bandwidthMs,
            double computeMs,
            double ms,
            double tokensPerSecond,
            String boundBy,
            boolean fits) {}

    /**
     * A page's prefill (vision, projector, decoder over every prompt token, one run).
     *
     * @param flops     FLOPs as the engine computes them: both FFN experts for every token of a chunk with image
     *                  tokens (the graph's If branch), vision patch embedding and projector included
     * @param usefulFlops FLOPs with one expert per token, as the maths needs
     */
    public record Prefill(
            int tiles,
            int tokens,
            double flops,
            double usefulFlops,
            double weightBytes,
            double computeMs,
            double bandwidthMs,
            double ms,
            double msPerTile) {}

    /** Pages per second one engine sustains on pages of {@code tiles} tiles and one answer of {@code answerTokens}. */
    public record PageRate(
            int tiles,
            int answerTokens,
            int batch,
            int promptTokens,
            int meanContext,
            double prefillMs,
            double stepMs,
            double decodeMsPerPage,
            double msPerPage,
            double pagesPerSecond,
            boolean fits) {}

    /** Bytes crossing the host link per decode step. */
    public record HostTraffic(
            int batch,
            int positions,
            long deviceResidentUpBytes,
            long deviceResidentDownBytes,
            double deviceResidentMs,
            long hostResidentKvBytesEachWay,
            double hostResidentMs) {}

    private final ModelConfig config;
    private final LlmConfig llm;
    private final Weights weights;
    private final GpuSpec gpu;
    private final Assumptions assumptions;

    public GpuCostModel(ModelConfig config, Weights weights, GpuSpec gpu, Assumptions assumptions) {
        this.config = config;
        this.llm = config.llm();
        this.weights = weights;
        this.gpu = gpu;
        this.assumptions = assumptions;
    }

    public ModelConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    public GpuSpec gpu() {
        return gpu;
    }

    public Assumptions assumptions() {
        return assumptions;
    }

    // ---- shapes ----

    private long hidden() {
        return llm.hiddenSize();
    }

    /** Bytes of a Linear weight [rows, k] as stored. */
    private long linearBytes(long rows, long k) {
        if (weights == Weights.INT4) {
            long blocks = (k + INT4_BLOCK - 1) / INT4_BLOCK;
            return rows * blocks * (INT4_BLOCK / 2 + BYTES_FP16);
        }
        return rows * k * BYTES_FP16;
    }

    /** Text-path Linear weights of one layer: wqkv, wo, FFN w1, w3, w2, as parameters. */
    public long layerLinearParams() {
        long h = hidden();
        return (long) llm.qkvRows() * h + h * h + 3L * llm.intermediateSize() * h;
    }

    /** Weight bytes one decode step streams: every layer's text path and norms, the final norm and the LM head. */
    public long decodeWeightBytes() {
        long h = hidden();
        long i = llm.intermediateSize();
        long layer = linearBytes(llm.qkvRows(), h)
                + linearBytes(h, h)
                + 2 * linearBytes(i, h)
                + linearBytes(h, i)
                + 2 * h * BYTES_FP16;
        return llm.numHiddenLayers() * layer + h * BYTES_FP16 + linearBytes(llm.vocabSize(), h);
    }

    /** Weight bytes of the visual FFN experts: read by prefills of image tokens only. */
    public long visualExpertBytes() {
        long h = hidden();
        long i = llm.intermediateSize();
        return llm.numHiddenLayers() * (2 * linearBytes(i, h) + linearBytes(h, i));
    }

    /** Every weight held on the device: decode weights, visual experts, the embedding table, the vision side. */
    public long residentWeightBytes() {
        long h = hidden();
        long embedding = (long) llm.vocabSize() * h * BYTES_FP16;
        int vision = config.vision().hiddenSize();
        int patch = config.vision().patchSize();
        long patchParams = (long) vision * config.vision().numChannels() * patch * patch + vision;
        long positionParams = (config.vision().patchCount() + 1L) * vision + vision;
        long projectorIn = config.projectorInputSize();
        long projectorParams = 2 * projectorIn + projectorIn * h + h + h * h + h;
        // The bf16 conversion keeps its vision graph in float32 (ONNX Conv has no bfloat16 before opset 22).
        int visionBytes = weights == Weights.BF16 ? 4 : BYTES_FP16;
        return decodeWeightBytes()
                + visualExpertBytes()
                + embedding
                + (patchParams + positionParams + projectorParams) * visionBytes;
    }

    /** KV cache bytes per position of one row: keys and values of every layer, 16-bit. */
    public long kvBytesPerPosition() {
        return 2L * llm.numHiddenLayers() * llm.numKeyValueHeads() * llm.headDim() * BYTES_FP16;
    }

    /** Bytes per row per step besides weights and KV: its embedding row read and its float32 logits written. */
    public long perRowStepBytes() {
        return hidden() * BYTES_FP16 + 4L * llm.vocabSize();
    }

    /** Decode FLOPs of one token at {@code context} positions: 2 per weight of the text path and head, plus attention. */
    public double decodeFlopsPerToken(int context) {
        double linear = 2.0 * (llm.numHiddenLayers() * layerLinearParams() + (long) llm.vocabSize() * hidden());
        return linear + attentionFlops(0, 1, context - 1);
    }

    /**
     * Attention scores and weighted values of {@code tokens} new tokens after {@code past} cached ones (causal: token t
     * sees past + t positions), every layer and query head; {@code extra} positions are added to each.
     */
    private double attentionFlops(long past, long tokens, long extra) {
        double positions = tokens * (double) (past + extra) + tokens * (tokens + 1) / 2.0;
        return 4.0 * llm.numHiddenLayers() * llm.numAttentionHeads() * llm.headDim() * positions;
    }

    // ---- decode ----

    public Decode decode(int batch, int context) {
        double bytes =
                decodeWeightBytes() + (double) batch * (context * (double) kvBytesPerPosition() + perRowStepBytes());
        double flops = batch * decodeFlopsPerToken(context);
        double bandwidthMs = bytes / (gpu.hbmBytesPerSec() * assumptions.bandwidthEfficiency()) * 1e3;
        double computeMs = flops / (gpu.denseFp16Flops() * assumptions.computeEfficiency()) * 1e3;
        double ms = Math.max(bandwidthMs, computeMs);
        boolean fits = residentWeightBytes() + (double) batch * context * kvBytesPerPosition() <= gpu.memoryBytes();
        return new Decode(
                batch,
                context,
                bytes,
                flops,
                bandwidthMs,
                computeMs,
                ms,
                batch * 1e3 / ms,
                bandwidthMs >= computeMs ? "bandwidth" : "compute",
                fits);
    }

    // ---- host link ----

    /**
     * Per decode step. Device-resident KV: token ids (int64) and seqlens (int32) per row and the total length (int32)
     * go up, float32 logits per row come down. Host-resident KV (the old design): every row's cache of
     * {@code positions} positions goes up as past and comes back as present, each step.
     */
    public HostTraffic hostTraffic(int batch, int positions) {
        long up = batch * (8L + 4L) + 4L;
        long down = batch * 4L * llm.vocabSize();
        double rate = gpu.hostLinkBytesPerSec() * assumptions.hostLinkEfficiency();
        long kv = (long) batch * positions * kvBytesPerPosition();
        return new HostTraffic(batch, positions, up, down, (up + down) / rate * 1e3, kv, 2.0 * kv / rate * 1e3);
    }

    // ---- prefill ----

    /** Patch embedding (a 14×14 stride-14 conv, 3 → 1024 channels) and projector of one tile. */
    public double visionFlopsPerTile() {
        int patch = config.vision().patchSize();
        double conv = 2.0
                * config.vision().numChannels()
                * patch
                * patch
                * config.vision().hiddenSize()
                * config.vision().patchCount();
        long in = config.projectorInputSize();
        double projector = 2.0 * (in * hidden() + hidden() * hidden()) * config.tokensPerTile();
        return conv + projector;
    }

    /** Decoder Linear FLOPs of one prompt token: with both experts (as the graph runs image chunks) or one. */
    public double decoderFlopsPerToken(boolean bothExperts) {
        long h = hidden();
        long ffn = 3L * llm.intermediateSize() * h;
        long perLayer = (long) llm.qkvRows() * h + h * h + (bothExperts ? 2 : 1) * ffn;
        return 2.0 * llm.numHiddenLayers() * perLayer;
    }

    /** One tile's prefill after {@code past} cached positions: vision, 256 tokens through both experts, attention. */
    public double tileFlops(int past) {
        int tokens = config.tokensPerTile();
        return visionFlopsPerTile() + tokens * decoderFlopsPerToken(true) + attentionFlops(past, tokens, 0);
    }

    /** A page of {@code tiles} tiles plus the prompt's text tokens prefilled in one run, logits at the last only. */
    public Prefill prefill(int tiles) {
        int tokens = tiles * config.tokensPerTile() + assumptions.promptTextTokens();
        double head = 2.0 * llm.vocabSize() * hidden();
        double common = tiles * visionFlopsPerTile() + attentionFlops(0, tokens, 0) + head;
        double flops = common + tokens * decoderFlopsPerToken(true);
        double useful = common + tokens * decoderFlopsPerToken(false);
        double bytes = decodeWeightBytes() + visualExpertBytes() + (double) tokens * kvBytesPerPosition();
        double computeMs = flops / (gpu.denseFp16Flops() * assumptions.computeEfficiency()) * 1e3;
        double bandwidthMs = bytes / (gpu.hbmBytesPerSec() * assumptions.bandwidthEfficiency()) * 1e3;
        double ms = Math.max(computeMs, bandwidthMs);
        return new Prefill(tiles, tokens, flops, useful, bytes, computeMs, bandwidthMs, ms, ms / tiles);
    }

    // ---- pages ----

    /**
     * Steady state of continuous batching: each page costs its prefill (the engine thread runs it alone, at batch 1)
     * plus its share of {@code answerTokens} decode steps of {@code batch} rows at the answer's mean context.
     */
    public PageRate pageRate(int tiles, int answerTokens, int batch) {
        Prefill prefill = prefill(tiles);
        int meanContext = prefill.tokens() + answerTokens / 2;
        Decode step = decode(batch, meanContext);
        double decodeMs = answerTokens * step.ms() / batch;
        double perPage = prefill.ms() + decodeMs;
        boolean fits = residentWeightBytes() + (double) batch * (prefill.tokens() + answerTokens) * kvBytesPerPosition()
                <= gpu.memoryBytes();
        return new PageRate(
                tiles,
                answerTokens,
                batch,
                prefill.tokens(),
                meanContext,
                prefill.ms(),
                step.ms(),
                decodeMs,
                perPage,
                1e3 / perPage,
                fits);
    }

    /** Everything {@code ./pagestream model cost} prints. */
    public record Report(
            String model,
            String weights,
            GpuSpec gpu,
            Assumptions assumptions,
            long decodeWeightBytes,
            long visualExpertBytes,
            long residentWeightBytes,
            long kvBytesPerPosition,
            long perRowStepBytes,
            List<Decode> decode,
            List<HostTraffic> hostTraffic,
            Prefill tilePrefill,
            Prefill pagePrefill,
            List<PageRate> pages) {}

    public Report report(
            List<Integer> batches, List<Integer> contexts, int pageTiles, int answerTokens, List<Integer> pageBatches) {
        List<Decode> decode = new ArrayList<>();
        List<HostTraffic> traffic = new ArrayList<>();
        for (int context : contexts) {
            for (int batch : batches) {
                decode.add(decode(batch, context));
                traffic.add(hostTraffic(batch, context));
            }
        }
        List<PageRate> pages = pageBatches.stream()
                .map(b -> pageRate(pageTiles, answerTokens, b))
                .toList();
        return new Report(
                llm.architectures().getFirst(),
                weights.name().toLowerCase(Locale.ROOT),
                gpu,
                assumptions,
                decodeWeightBytes(),
                visualExpertBytes(),
                residentWeightBytes(),
                kvBytesPerPosition(),
                perRowStepBytes(),
                decode,
                traffic,
                prefill(1),
                prefill(pageTiles),
                pages);
    }
}
