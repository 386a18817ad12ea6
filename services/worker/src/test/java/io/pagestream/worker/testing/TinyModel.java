package io.pagestream.worker.testing;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.random.RandomCheckpoint;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The bundled {@code tiny} random checkpoint (what {@code ./pagestream model init-random --config tiny} writes),
 * converted to fp32 where the worker looks by default ({@code <checkpoint>-onnx-fp32}), so a worker pointed at it
 * starts without converting. Its text is meaningless; its greedy output is deterministic. For the benchmark there is
 * also {@code small}: the same with a decoder of hidden 512, 8 layers, 8 heads, 4 KV heads (about 45 M parameters
 * besides the embeddings), where a decode step costs enough for batching to show.
 */
public final class TinyModel {
    public static final long SEED = 7;
    private static Path shared;

    private TinyModel() {}

    /** Writes and converts the model under {@code dir}; returns the checkpoint directory. */
    public static Path create(Path dir) {
        return create(dir, "tiny");
    }

    /** {@code tiny} or {@code small}. */
    public static Path create(Path dir, String name) {
        Path checkpoint = dir.resolve(name);
        ModelConfig config =
                switch (name) {
                    case "tiny" -> bundled("tiny");
                    case "small" -> small(bundled("tiny"));
                    default -> throw new IllegalArgumentException("no model " + name + " (tiny, small)");
                };
        RandomCheckpoint.write(config, SEED, DType.BF16, checkpoint);
        try {
            TokenizerFiles.write(checkpoint, config.llm().vocabSize(), SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Converter.convert(checkpoint, dir.resolve(name + "-onnx-fp32"), TargetDtype.FP32);
        return checkpoint;
    }

    /** One model per test JVM, removed when it exits. */
    public static synchronized Path shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("pagestream-worker-model-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                shared = create(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static ModelConfig small(ModelConfig tiny) {
        LlmConfig l = tiny.llm();
        LlmConfig llm = new LlmConfig(
                l.architectures(),
                512,
                8,
                8,
                4,
                1408,
                l.vocabSize(),
                l.rmsNormEps(),
                l.ropeTheta(),
                l.ropeScaling(),
                l.maxPositionEmbeddings(),
                l.hiddenAct(),
                l.bias(),
                l.tieWordEmbeddings());
        return new ModelConfig(
                tiny.vision(),
                llm,
                tiny.selectLayer(),
                tiny.forceImageSize(),
                tiny.downsampleRatio(),
                tiny.template(),
                tiny.dynamicImageSize(),
                tiny.useThumbnail(),
                tiny.psVersion(),
                tiny.minDynamicPatch(),
                tiny.maxDynamicPatch());
    }

    private static ModelConfig bundled(String name) {
        try (InputStream in = TinyModel.class.getResourceAsStream("/model-configs/" + name + "/config.json")) {
            return ConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort at exit.
        }
    }
}
