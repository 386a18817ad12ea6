package io.pagestream.internvl.convert;

import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.onnx.DecoderGraph;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.onnx.EmbeddingGraph;
import io.pagestream.internvl.onnx.GraphBuilder;
import io.pagestream.internvl.onnx.VisionGraph;
import io.pagestream.internvl.onnx.WeightFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Converts a Mono-InternVL checkpoint directory into three ONNX graphs, each a {@code model.onnx} with its weights in
 * {@code model.onnx.data}: {@code embedding/} (token lookup and image-row merge), {@code vision/} (pixels to projector
 * rows) and {@code decoder/}. Weights stream from the memory-mapped checkpoint one tensor at a time. A conversion whose
 * {@link Manifest} matches the checkpoint and options is reused as it is.
 */
public final class Converter {
    /** Part of the cache key: bump whenever the graphs this converter writes change. */
    public static final String VERSION = "1";
    public static final String EMBEDDING = "embedding";
    public static final String VISION = "vision";
    public static final String DECODER = "decoder";
    public static final String MODEL_FILE = "model.onnx";
    public static final String DATA_FILE = "model.onnx.data";

    private Converter() {
    }

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
        write(outDir.resolve(EMBEDDING), "embedding", g -> EmbeddingGraph.build(g, checkpoint.tensors(),
                config.llm(), imageContextId, options.dtype().precision()));
        write(outDir.resolve(VISION), "vision", g -> VisionGraph.build(g, checkpoint.tensors(), config,
                options.dtype().visionPrecision()));
        write(outDir.resolve(DECODER), "decoder", g -> DecoderGraph.build(g, checkpoint.tensors(), config.llm(),
                options));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Manifest manifest = new Manifest(VERSION, key, options.dtype().name(), options.allLogits(), imageContextId,
                config.llm().maxPositionEmbeddings(), config.tokensPerTile(), elapsed.toMillis() / 1000.0,
                options.int4());
        manifest.write(outDir);
        return new ConversionResult(outDir, manifest, false, elapsed);
    }

    private static boolean graphsPresent(Path outDir) {
        return Stream.of(EMBEDDING, VISION, DECODER).allMatch(d -> Files.isRegularFile(outDir.resolve(d)
                .resolve(MODEL_FILE)) && Files.isRegularFile(outDir.resolve(d).resolve(DATA_FILE)));
    }

    private static void write(Path dir, String graphName, Consumer<GraphBuilder> body) {
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot prepare: " + e.getMessage(), e);
        }
        try (WeightFile weights = new WeightFile(dir.resolve(DATA_FILE))) {
            GraphBuilder g = GraphBuilder.create(graphName, weights);
            body.accept(g);
            g.save(dir.resolve(MODEL_FILE));
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
