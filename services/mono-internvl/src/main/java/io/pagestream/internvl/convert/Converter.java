package io.pagestream.internvl.convert;

import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import io.pagestream.internvl.onnx.GraphBuilder;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.onnx.VisionGraph;
import io.pagestream.internvl.onnx.WeightFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Converts a Mono-InternVL checkpoint directory into four ONNX graphs: {@code embedding/}, {@code vision/} and
 * {@code decoder/}, each a {@code model.onnx} with its weights in {@code model.onnx.data}, and the decode-step graph
 * {@code decoder/decode.onnx} ({@link DecoderGraph#buildDecodeOnly}), which refers to the decoder's
 * {@code model.onnx.data} for every weight instead of a copy of its own. Weights stream from the memory-mapped
 * checkpoint one tensor at a time. A conversion whose {@link Manifest} matches the checkpoint and options is reused as
 * it is.
 */
public final class Converter {
    /** Part of the cache key: bump whenever the graphs this converter writes change. */
    public static final String VERSION = "2";

    public static final String EMBEDDING = "embedding";
    public static final String VISION = "vision";
    public static final String DECODER = "decoder";
    public static final String MODEL_FILE = "model.onnx";
    public static final String DATA_FILE = "model.onnx.data";
    /** The decode-step graph's model file, in {@link #DECODER} next to the data file it shares with the decoder. */
    public static final String DECODE_FILE = "decode.onnx";

    /** A graph to write: its model file name in its directory, its graph name and how to build it. */
    private record Graph(String file, String name, Consumer<GraphBuilder> body) {}

    private Converter() {}

    /** Converts for generation (last-position logits, default int4 settings). */
    public static ConversionResult convert(Path modelDir, Path outDir, TargetDtype dtype) {
        return convert(modelDir, outDir, DecoderOptions.of(dtype));
    }

    public static ConversionResult convert(Path modelDir, Path outDir, DecoderOptions options) {
        long start = System.nanoTime();
        String key = CacheKey.of(modelDir, options);
        Manifest existing = Manifest.read(outDir);
        if (existing != null && existing.cacheKey().equals(key) && graphsPresent(outDir)) {
            return new ConversionResult(outDir, existing, true, Duration.ofNanos(System.nanoTime() - start));
        }
        ModelCheckpoint checkpoint = ModelCheckpoint.open(modelDir);
        ModelConfig config = checkpoint.config();
        int imageContextId = ImageContextToken.id(modelDir);
        try {
            Files.createDirectories(outDir);
            Files.deleteIfExists(outDir.resolve(Manifest.FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(outDir + ": cannot prepare: " + e.getMessage(), e);
        }
        write(
                outDir.resolve(EMBEDDING),
                new Graph(
                        MODEL_FILE,
                        "embedding",
                        g -> EmbeddingGraph.build(
                                g,
                                checkpoint.tensors(),
                                config.llm(),
                                imageContextId,
                                options.dtype().precision())));
        write(
                outDir.resolve(VISION),
                new Graph(
                        MODEL_FILE,
                        "vision",
                        g -> VisionGraph.build(
                                g, checkpoint.tensors(), config, options.dtype().visionPrecision())));
        write(
                outDir.resolve(DECODER),
                new Graph(
                        MODEL_FILE, "decoder", g -> DecoderGraph.build(g, checkpoint.tensors(), config.llm(), options)),
                new Graph(
                        DECODE_FILE,
                        "decode",
                        g -> DecoderGraph.buildDecodeOnly(g, checkpoint.tensors(), config.llm(), options)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Manifest manifest = new Manifest(
                VERSION,
                key,
                options.dtype().name(),
                options.allLogits(),
                imageContextId,
                config.llm().maxPositionEmbeddings(),
                config.tokensPerTile(),
                elapsed.toMillis() / 1000.0,
                options.int4(),
                options.fp32Residual());
        manifest.write(outDir);
        return new ConversionResult(outDir, manifest, false, elapsed);
    }

    /**
     * The decode-step graph of the conversion in {@code onnxDir}, to open by path: inputs {@code inputs_embeds},
     * {@code seqlens_k}, {@code total_sequence_length} and the {@code past_key_values.N.key/value}; outputs
     * {@code logits} [B, 1, vocab] and {@code present.N.key/value} (names in {@link DecoderGraph}).
     */
    public static Path decodeGraph(Path onnxDir) {
        return onnxDir.resolve(DECODER).resolve(DECODE_FILE);
    }

    /** Every model file a complete conversion has, each with {@link #DATA_FILE} beside it. */
    public static List<Path> graphs(Path onnxDir) {
        return List.of(
                onnxDir.resolve(EMBEDDING).resolve(MODEL_FILE),
                onnxDir.resolve(VISION).resolve(MODEL_FILE),
                onnxDir.resolve(DECODER).resolve(MODEL_FILE),
                decodeGraph(onnxDir));
    }

    private static boolean graphsPresent(Path outDir) {
        return graphs(outDir).stream()
                .allMatch(model -> Files.isRegularFile(model) && Files.isRegularFile(model.resolveSibling(DATA_FILE)));
    }

    /** Writes the graphs into a fresh {@code dir}, over one data file: a weight they share is stored once. */
    private static void write(Path dir, Graph... graphs) {
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot prepare: " + e.getMessage(), e);
        }
        try (WeightFile weights = new WeightFile(dir.resolve(DATA_FILE))) {
            for (Graph graph : graphs) {
                GraphBuilder g = GraphBuilder.create(graph.name(), weights);
                graph.body().accept(g);
                g.save(dir.resolve(graph.file()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
