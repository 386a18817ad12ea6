package io.pagestream.internvl.engine;

import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.onnx.TinyModels;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One tiny random checkpoint (with tokenizer files) and its fp32 generation conversion, made once per test JVM and
 * shared by the engine tests: {@link TinyModels}' decoder with 224-pixel tiles (64 visual tokens per tile) and 512
 * positions.
 */
final class TinyEngineModel {
    static final long SEED = 21;
    private static Path root;

    private TinyEngineModel() {}

    static synchronized Path root() {
        if (root == null) {
            try {
                Path dir = Files.createTempDirectory("pagestream-engine-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                TinyModels.write(dir.resolve("checkpoint"), SEED);
                TokenizerFiles.write(
                        dir.resolve("checkpoint"), TinyModels.config().llm().vocabSize(), SEED);
                Converter.convert(dir.resolve("checkpoint"), dir.resolve("onnx"), TargetDtype.FP32);
                root = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static Path checkpoint() {
        return root().resolve("checkpoint");
    }

    static Path onnx() {
        return root().resolve("onnx");
    }

    /** Small and single-threaded: the engine tests run beside others on two cores. */
    static EngineConfig config(int slots, int capacity) {
        return EngineConfig.DEFAULT.withSlots(slots, capacity).withRuntime(RuntimeOptions.DEFAULT.withThreads(1, 1));
    }

    static GenerationEngine open(EngineConfig config) {
        try {
            return GenerationEngine.open(checkpoint(), onnx(), config);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic picture of {@code width} × {@code height} pixels. */
    static BufferedImage image(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 7 + seed * 31) & 0xFF;
                int g = (y * 5 + seed * 17) & 0xFF;
                int b = ((x ^ y) * 3 + seed) & 0xFF;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort at exit.
        }
    }
}
