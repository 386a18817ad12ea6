package io.pagestream.cli;

import io.pagestream.cli.model.DemoModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The worker's model, as {@code up} and {@code demo} take it: a downloaded checkpoint, or by default the cached tiny
 * random model, whose generation is kept short because its text means nothing anyway.
 */
final class WorkerModelOptions {
    static final int RANDOM_OCR_TOKENS = 24;
    static final int RANDOM_QUESTION_TOKENS = 8;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description =
                    "A Mono-InternVL-2B checkpoint (Hugging Face layout). Default: a tiny random model, whose text is meaningless.")
    Path model;

    @Option(
            names = "--dtype",
            defaultValue = "fp32",
            description = "fp32 or int4 (CPU), fp16 or bf16 (CUDA). Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu or cuda. Default: ${DEFAULT-VALUE}.")
    String provider;

    @Option(
            names = "--ocr-max-new-tokens",
            paramLabel = "N",
            description = "OCR generation limit per page. Default: " + RANDOM_OCR_TOKENS
                    + " with the random model, the worker's own (1024) with --model.")
    Integer ocrTokens;

    @Option(
            names = "--question-max-new-tokens",
            paramLabel = "N",
            description = "Answer generation limit. Default: " + RANDOM_QUESTION_TOKENS
                    + " with the random model, the worker's own (64) with --model.")
    Integer questionTokens;

    @Option(
            names = "--model-cache",
            defaultValue = ".stack/demo-model",
            description = "Where the random model is kept between runs. Default: ${DEFAULT-VALUE}.")
    Path cache;

    boolean random() {
        return model == null;
    }

    /** Checks {@code --model} and returns an explanation of what is wrong with it, or null. */
    String problem() {
        if (model != null && !Files.isRegularFile(model.resolve("config.json"))) {
            return "--model " + model + " is not a checkpoint directory (no config.json in it)";
        }
        return null;
    }

    /** The checkpoint (writing the random one first if it is not cached) and the worker settings for it. */
    LocalPipeline.WorkerModel resolve(PrintWriter log) throws IOException {
        Path checkpoint = random() ? DemoModel.ensure(cache, log) : model.toAbsolutePath();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pagestream.worker.model.dtype", dtype);
        settings.put("pagestream.worker.model.provider", provider);
        Integer ocr = ocrTokens != null ? ocrTokens : random() ? Integer.valueOf(RANDOM_OCR_TOKENS) : null;
        Integer question =
                questionTokens != null ? questionTokens : random() ? Integer.valueOf(RANDOM_QUESTION_TOKENS) : null;
        if (ocr != null) {
            settings.put("pagestream.worker.prompts.ocr-max-new-tokens", ocr.toString());
        }
        if (question != null) {
            settings.put("pagestream.worker.prompts.question-max-new-tokens", question.toString());
        }
        return new LocalPipeline.WorkerModel(checkpoint, settings);
    }
}
