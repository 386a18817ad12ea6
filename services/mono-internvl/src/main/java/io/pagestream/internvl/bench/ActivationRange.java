package io.pagestream.internvl.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.convert.CacheKey;
import io.pagestream.internvl.convert.ImageContextToken;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.DecoderGraph.Recorded;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import io.pagestream.internvl.onnx.GraphBuilder;
import io.pagestream.internvl.onnx.Int4Options;
import io.pagestream.internvl.onnx.Precision;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.onnx.VisionGraph;
import io.pagestream.internvl.onnx.WeightFile;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How large the decoder's activations get, against float16's largest finite value: runs a page prompt (one image
 * tile of a synthetic text page plus a question, in the chat template when the checkpoint has a tokenizer) through
 * the decoder built with {@link DecoderGraph#buildWithActivationMaxima}, then greedy decode steps, and keeps per
 * layer the largest |value| of the residual stream (after the attention add and after the FFN add), the attention
 * output, the FFN intermediate {@code silu(w1·y) ⊙ (w3·y)} and the FFN output, plus the embeddings and the logits.
 * The default is the float32 graph, the measurement itself; a half-precision dtype shows what the CPU provider makes
 * of that precision (infinities and NaN where it overflows; see docs/engine.md, "Precision", for how partially the
 * CPU runs float16).
 *
 * <p>The graphs are written to a work directory (the decoder's weights in float32: 4 bytes a parameter, 12 GB for
 * the 2B model) and reused while the checkpoint and options are unchanged.
 */
public final class ActivationRange {
    /** Largest finite float16 value. */
    public static final float FP16_MAX = 65504f;

    private static final String KEY_FILE = "activation-graphs.key";
    private static final String QUESTION = "Transcribe the text of this page.";

    /**
     * @param tokens  greedy decode steps after the prefill
     * @param options how the decoder is built (dtype and residual precision; logits at every position are forced)
     * @param threads ORT intra-op threads; 0 for ORT's default
     */
    public record Options(int tokens, DecoderOptions options, int threads) {
        public static final Options DEFAULT =
                new Options(16, new DecoderOptions(TargetDtype.FP32, Int4Options.DEFAULT, true), 0);

        public Options {
            if (tokens < 0 || threads < 0) {
                throw new IllegalArgumentException("tokens and threads must be ≥ 0");
            }
            options = new DecoderOptions(options.dtype(), options.int4(), true, options.fp32Residual());
        }
    }

    /** Largest |value| of each recorded tensor of one layer, over the prefill and every decode step. */
    public record LayerMax(
            int layer,
            float residualAttention,
            float attentionOut,
            float ffnIntermediate,
            float ffnOut,
            float residualOut) {
        public float residual() {
            return nanMax(residualAttention, residualOut);
        }
    }

    /**
     * @param promptTokens prompt length (the image tile's context tokens included)
     * @param imageTokens  of which image-context tokens
     * @param generated    greedy tokens run after the prefill
     * @param embeddings   largest |input embedding| (text embeddings and projector rows)
     * @param logits       largest |logit|
     */
    public record Result(
            String model,
            String dtype,
            boolean fp32Residual,
            int promptTokens,
            int imageTokens,
            int generated,
            float embeddings,
            List<LayerMax> layers,
            float logits,
            double seconds) {
        public Result {
            layers = List.copyOf(layers);
        }

        /** The largest value over every recorded tensor but the logits (which are float32 in every conversion). */
        public float maxHidden() {
            float max = embeddings;
            for (LayerMax l : layers) {
                max = nanMax(
                        max, nanMax(nanMax(l.residual(), l.attentionOut()), nanMax(l.ffnIntermediate(), l.ffnOut())));
            }
            return max;
        }

        /** The largest value of the residual stream, embeddings included. */
        public float maxResidual() {
            float max = embeddings;
            for (LayerMax l : layers) {
                max = nanMax(max, l.residual());
            }
            return max;
        }

        /** The largest value of the tensors the matmuls write (attention, FFN intermediate and output). */
        public float maxMatmulOutput() {
            float max = 0;
            for (LayerMax l : layers) {
                max = nanMax(max, nanMax(l.attentionOut(), nanMax(l.ffnIntermediate(), l.ffnOut())));
            }
            return max;
        }
    }

    private ActivationRange() {}

    public static Result measure(Path checkpointDir, Path workDir, Options options, Consumer<String> log)
            throws OrtException {
        long start = System.nanoTime();
        ModelConfig config = ConfigJson.load(checkpointDir);
        LlmConfig llm = config.llm();
        DecoderOptions decoder = options.options();
        writeGraphs(checkpointDir, workDir, config, decoder, log);

        PixelTiles tile = GenerationEngine.imagePreprocessor(config, Long.MAX_VALUE)
                .preprocess(EngineBench.picture(1, config.tileSize()));
        int[] ids = prompt(checkpointDir, config, tile.tileCount());
        int imageTokens = (int) Arrays.stream(ids)
                .filter(id -> id == ImageContextToken.id(checkpointDir))
                .count();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Maxima maxima = new Maxima(llm.numHiddenLayers());
        int generated = 0;
        try (OrtSession.SessionOptions session = new OrtSession.SessionOptions()) {
            if (options.threads() > 0) {
                session.setIntraOpNumThreads(options.threads());
            }
            // A pre-packed copy of float32 weights would double memory (23 GB for 2B); one prompt does not need it.
            session.addConfigEntry("session.disable_prepacking", "1");
            try (OrtSession vision = env.createSession(model(workDir, "vision"), session);
                    OrtSession embedding = env.createSession(model(workDir, "embedding"), session);
                    OrtSession decoderSession = env.createSession(model(workDir, "decoder"), session)) {
                float[] rows = vision(env, vision, tile);
                log.accept(String.format(
                        Locale.ROOT,
                        "prompt: %d tokens (%d image), then %d greedy steps",
                        ids.length,
                        imageTokens,
                        options.tokens()));
                OrtSession.Result previous = null;
                long[] next = Arrays.stream(ids).asLongStream().toArray();
                float[] imageRows = rows;
                int length = 0;
                try {
                    for (int step = 0; step <= options.tokens(); step++) {
                        length += next.length;
                        OrtSession.Result result =
                                decode(env, embedding, decoderSession, llm, decoder, next, imageRows, length, previous);
                        if (previous != null) {
                            previous.close();
                        }
                        previous = result;
                        maxima.add(result, llm.numHiddenLayers());
                        next = new long[] {argmaxLast(result, llm.vocabSize())};
                        imageRows = new float[0];
                        generated = step;
                    }
                } finally {
                    if (previous != null) {
                        previous.close();
                    }
                }
            }
        }
        return new Result(
                checkpointDir.getFileName().toString(),
                decoder.dtype().name(),
                decoder.fp32Residual(),
                ids.length,
                imageTokens,
                generated,
                maxima.embeddings,
                maxima.layers(),
                maxima.logits,
                (System.nanoTime() - start) / 1e9);
    }

    /** A markdown table: per layer the maxima and the float16 headroom of the largest of them. */
    public static void print(Result r, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%s, %s%s graph: %d prompt tokens (%d image) + %d greedy steps, %.1f s%n",
                r.model(),
                r.dtype().toLowerCase(Locale.ROOT),
                r.fp32Residual() ? " + fp32 residual" : "",
                r.promptTokens(),
                r.imageTokens(),
                r.generated(),
                r.seconds());
        out.println("| layer | residual after attn | attention out | FFN intermediate | FFN out | residual out "
                + "| fp16 headroom |");
        out.println("|---|---|---|---|---|---|---|");
        out.printf(Locale.ROOT, "| embeddings | %s | | | | | %s |%n", value(r.embeddings()), headroom(r.embeddings()));
        for (LayerMax l : r.layers()) {
            float max = nanMax(nanMax(l.residual(), l.attentionOut()), nanMax(l.ffnIntermediate(), l.ffnOut()));
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %s | %s | %s | %s | %s |%n",
                    l.layer(),
                    value(l.residualAttention()),
                    value(l.attentionOut()),
                    value(l.ffnIntermediate()),
                    value(l.ffnOut()),
                    value(l.residualOut()),
                    headroom(max));
        }
        out.printf(Locale.ROOT, "| logits | | | | | %s | %s |%n", value(r.logits()), headroom(r.logits()));
        out.printf(
                Locale.ROOT,
                "largest |activation| %s (residual stream %s, matmul outputs %s): fp16 headroom %s%n",
                value(r.maxHidden()),
                value(r.maxResidual()),
                value(r.maxMatmulOutput()),
                headroom(r.maxHidden()));
    }

    /** 65504 / max as a factor, or "OVERFLOW" past it. */
    public static String headroom(float max) {
        if (!Float.isFinite(max) || max > FP16_MAX) {
            return "OVERFLOW";
        }
        return String.format(Locale.ROOT, "%.3g×", FP16_MAX / max);
    }

    private static String value(float v) {
        return Float.isNaN(v) ? "NaN" : Float.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static float nanMax(float a, float b) {
        return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
    }

    /** Writes the three graphs unless the work directory already holds them for this checkpoint and options. */
    private static void writeGraphs(
            Path checkpointDir, Path workDir, ModelConfig config, DecoderOptions options, Consumer<String> log) {
        String key = "activation-maxima/" + CacheKey.of(checkpointDir, options);
        Path keyFile = workDir.resolve(KEY_FILE);
        try {
            if (Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key)) {
                log.accept("reusing the activation graphs in " + workDir);
                return;
            }
            Files.createDirectories(workDir);
            Files.deleteIfExists(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(workDir + ": " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        Checkpoint tensors = Checkpoint.open(checkpointDir);
        Precision precision = options.dtype().precision();
        write(
                workDir.resolve("embedding"),
                g -> EmbeddingGraph.build(g, tensors, config.llm(), ImageContextToken.id(checkpointDir), precision));
        write(
                workDir.resolve("vision"),
                g -> VisionGraph.build(g, tensors, config, options.dtype().visionPrecision()));
        write(
                workDir.resolve("decoder"),
                g -> DecoderGraph.buildWithActivationMaxima(g, tensors, config.llm(), options));
        try {
            Files.writeString(keyFile, key);
        } catch (IOException e) {
            throw new UncheckedIOException(keyFile + ": " + e.getMessage(), e);
        }
        log.accept(String.format(
                Locale.ROOT,
                "wrote the activation graphs to %s in %.1f s",
                workDir,
                (System.nanoTime() - start) / 1e9));
    }

    private static void write(Path dir, Consumer<GraphBuilder> body) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        try (WeightFile weights = new WeightFile(dir.resolve("model.onnx.data"))) {
            GraphBuilder g = GraphBuilder.create(dir.getFileName().toString(), weights);
            body.accept(g);
            g.save(dir.resolve("model.onnx"));
        }
    }

    private static String model(Path workDir, String graph) {
        return workDir.resolve(graph).resolve("model.onnx").toString();
    }

    /** The chat prompt with one image when the checkpoint has a tokenizer; else the same shape of ids by hand. */
    private static int[] prompt(Path checkpointDir, ModelConfig config, int tiles) {
        if (Files.isRegularFile(checkpointDir.resolve(Tokenizer.MODEL_FILE))) {
            try (Tokenizer tokenizer = Tokenizer.load(checkpointDir)) {
                return new ChatPrompt(tokenizer, config.tokensPerTile())
                        .build("<image>\n" + QUESTION, List.of(tiles))
                        .ids();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int context = ImageContextToken.id(checkpointDir);
        int[] head = {1, 92543, 1008, 364, 92544};
        int[] tail = {92545, 364, 5401, 1780, 410, 2478, 446, 3251, 92542, 92543, 525};
        int image = tiles * config.tokensPerTile();
        int[] ids = new int[head.length + image + tail.length];
        System.arraycopy(head, 0, ids, 0, head.length);
        Arrays.fill(ids, head.length, head.length + image, context);
        System.arraycopy(tail, 0, ids, head.length + image, tail.length);
        return ids;
    }

    private static float[] vision(OrtEnvironment env, OrtSession vision, PixelTiles tile) throws OrtException {
        try (OnnxTensor pixels = OnnxTensor.createTensor(env, FloatBuffer.wrap(tile.values()), new long[] {
                    tile.tileCount(), 3, tile.tileSize(), tile.tileSize()
                });
                OrtSession.Result result = vision.run(Map.of(VisionGraph.PIXEL_VALUES, pixels))) {
            return floats((OnnxTensor) result.get(VisionGraph.PROJECTOR_ROWS).orElseThrow());
        }
    }

    /**
     * Embeds {@code ids} (one row) and runs the decoder on top of the cache of {@code previous} (the last result,
     * whose present tensors are passed as past without a copy), or an empty cache.
     */
    private static OrtSession.Result decode(
            OrtEnvironment env,
            OrtSession embedding,
            OrtSession decoder,
            LlmConfig llm,
            DecoderOptions options,
            long[] ids,
            float[] imageRows,
            int length,
            OrtSession.Result previous)
            throws OrtException {
        int hidden = llm.hiddenSize();
        Map<String, OnnxTensor> owned = new HashMap<>();
        try {
            owned.put(
                    EmbeddingGraph.INPUT_IDS,
                    OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length}));
            owned.put(EmbeddingGraph.IMAGE_ROWS, OnnxTensor.createTensor(env, FloatBuffer.wrap(imageRows), new long[] {
                imageRows.length / hidden, hidden
            }));
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try (OrtSession.Result embedded = embedding.run(owned)) {
                inputs.put(DecoderGraph.INPUTS_EMBEDS, (OnnxTensor)
                        embedded.get(EmbeddingGraph.INPUTS_EMBEDS).orElseThrow());
                inputs.put(DecoderGraph.VISUAL_MASK, (OnnxTensor)
                        embedded.get(EmbeddingGraph.VISUAL_MASK).orElseThrow());
                OnnxTensor seqlens = OnnxTensor.createTensor(env, new int[] {length - 1});
                OnnxTensor total = OnnxTensor.createTensor(env, length);
                owned.put(DecoderGraph.SEQLENS_K, seqlens);
                owned.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, total);
                inputs.put(DecoderGraph.SEQLENS_K, seqlens);
                inputs.put(DecoderGraph.TOTAL_SEQUENCE_LENGTH, total);
                for (int n = 0; n < llm.numHiddenLayers(); n++) {
                    inputs.put(
                            DecoderGraph.pastKey(n),
                            past(
                                    env,
                                    llm,
                                    options,
                                    previous,
                                    DecoderGraph.presentKey(n),
                                    owned,
                                    DecoderGraph.pastKey(n)));
                    inputs.put(
                            DecoderGraph.pastValue(n),
                            past(
                                    env,
                                    llm,
                                    options,
                                    previous,
                                    DecoderGraph.presentValue(n),
                                    owned,
                                    DecoderGraph.pastValue(n)));
                }
                return decoder.run(inputs);
            }
        } finally {
            owned.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor past(
            OrtEnvironment env,
            LlmConfig llm,
            DecoderOptions options,
            OrtSession.Result previous,
            String present,
            Map<String, OnnxTensor> owned,
            String name)
            throws OrtException {
        if (previous != null) {
            return (OnnxTensor) previous.get(present).orElseThrow();
        }
        long[] shape = {1, llm.numKeyValueHeads(), 0, llm.headDim()};
        OnnxTensor empty = OnnxTensor.createTensor(
                env,
                java.nio.ByteBuffer.allocateDirect(0),
                shape,
                switch (options.dtype().precision()) {
                    case FP32 -> ai.onnxruntime.OnnxJavaType.FLOAT;
                    case FP16 -> ai.onnxruntime.OnnxJavaType.FLOAT16;
                    case BF16 -> ai.onnxruntime.OnnxJavaType.BFLOAT16;
                });
        owned.put(name, empty);
        return empty;
    }

    private static long argmaxLast(OrtSession.Result result, int vocab) {
        FloatBuffer logits = ((OnnxTensor) result.get(DecoderGraph.LOGITS).orElseThrow()).getFloatBuffer();
        int base = logits.remaining() - vocab;
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits.get(base + i) > logits.get(base + best)) {
                best = i;
            }
        }
        return best;
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** Running maxima over the calls; NaN sticks. */
    private static final class Maxima {
        float embeddings;
        float logits;
        final float[][] layers;

        Maxima(int layers) {
            this.layers = new float[layers][Recorded.values().length];
        }

        void add(OrtSession.Result result, int layerCount) throws OrtException {
            embeddings = nanMax(embeddings, scalar(result, DecoderGraph.EMBEDDINGS_MAX));
            logits = nanMax(logits, scalar(result, DecoderGraph.LOGITS_MAX));
            for (int n = 0; n < layerCount; n++) {
                for (Recorded what : Recorded.values()) {
                    layers[n][what.ordinal()] =
                            nanMax(layers[n][what.ordinal()], scalar(result, DecoderGraph.activationMax(n, what)));
                }
            }
        }

        List<LayerMax> layers() {
            List<LayerMax> out = new ArrayList<>();
            for (int n = 0; n < layers.length; n++) {
                float[] m = layers[n];
                out.add(new LayerMax(
                        n,
                        m[Recorded.RESIDUAL_ATTENTION.ordinal()],
                        m[Recorded.ATTENTION_OUT.ordinal()],
                        m[Recorded.FFN_INTERMEDIATE.ordinal()],
                        m[Recorded.FFN_OUT.ordinal()],
                        m[Recorded.RESIDUAL_OUT.ordinal()]));
            }
            return out;
        }

        private static float scalar(OrtSession.Result result, String name) throws OrtException {
            OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
            return ((OnnxTensor) value).getFloatBuffer().get(0);
        }
    }
}
