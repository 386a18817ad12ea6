package io.pagestream.cli.model;

import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.random.RandomCheckpoint;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import io.pagestream.stack.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model {@code demo} and {@code up} run when given none: the bundled {@code tiny} config with seeded random
 * weights (what {@code model init-random --config tiny} writes), cached so later runs reuse it and its ONNX
 * conversion (the worker keeps that beside it, in {@code tiny-onnx-fp32}). Its text is meaningless random tokens.
 */
public final class DemoModel {
    public static final long SEED = 1;
    public static final String WARNING =
            """
            ************************************************************************************
            *  NO MODEL GIVEN: the worker runs a tiny model with RANDOM weights.               *
            *  Every OCR text and answer below is MEANINGLESS random tokens, not a reading.    *
            *  It shows the pipeline working end to end, nothing about the model's quality.   *
            *  For real results download Mono-InternVL-2B and pass --model DIR.               *
            ************************************************************************************""";
    private static final String COMPLETE = ".complete";

    private DemoModel() {}

    /** The checkpoint under {@code cache}, written first when missing or left half-written by an interrupted run. */
    public static Path ensure(Path cache, PrintWriter log) throws IOException {
        Path checkpoint = cache.toAbsolutePath().resolve("tiny-random");
        if (Files.isRegularFile(checkpoint.resolve(COMPLETE))) {
            return checkpoint;
        }
        Directories.deleteQuietly(checkpoint);
        log.println("Writing the tiny random demo model to " + checkpoint + " (once) ...");
        ModelConfig config = ModelConfigs.resolve("tiny");
        RandomCheckpoint.write(config, SEED, DType.BF16, checkpoint);
        TokenizerFiles.write(checkpoint, config.llm().vocabSize(), SEED);
        Files.writeString(checkpoint.resolve(COMPLETE), "seed " + SEED + "\n");
        return checkpoint;
    }
}
