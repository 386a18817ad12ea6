package io.pagestream.cli.model;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.engine.ExecutionProvider;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.engine.GenerationListener;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.internvl.engine.SamplingOptions;
import io.pagestream.internvl.engine.Timings;
import io.pagestream.internvl.image.ImagePreprocessor;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.onnx.TargetDtype;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** One request through the generation engine: images and a prompt in, text (or JSON with token details) out. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate an answer for images and a prompt (converts the checkpoint to ONNX first if needed).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            description = "Checkpoint directory (config.json, safetensors, tokenizer).")
    Path model;

    @Option(names = "--onnx", description = "Conversion directory. Default: onnx-<dtype> inside the model directory.")
    Path onnx;

    @Option(
            names = "--dtype",
            defaultValue = "fp32",
            converter = ConvertCommand.DtypeConverter.class,
            description = "Conversion to run: " + Conversions.DTYPE_HELP + " Default: ${DEFAULT-VALUE}.")
    TargetDtype dtype;

    @Option(names = "--fp32-residual", description = Conversions.RESIDUAL_HELP)
    boolean fp32Residual;

    @Option(names = "--int4-accuracy", defaultValue = "0", description = Conversions.ACCURACY_HELP)
    int int4Accuracy;

    @Option(names = "--image", arity = "1..*", description = "Image files (PNG, JPEG), in prompt order.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--prompt", required = true, description = "The question or instruction.")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "256", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(
            names = "--top-p",
            defaultValue = "1",
            description = "Nucleus mass when sampling. Default: ${DEFAULT-VALUE}.")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Seed when sampling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "ORT intra-op threads (0: one per core).")
    int threads;

    @Option(
            names = "--provider",
            defaultValue = "CPU",
            description =
                    "${COMPLETION-CANDIDATES}; CUDA falls back to the CPU when it cannot load. Default: ${DEFAULT-VALUE}.")
    ExecutionProvider provider;

    @Option(
            names = "--json",
            description = "Print one JSON object: prompt and generated token ids, log-probabilities, text, timings.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path onnxDir = Conversions.ensure(model, onnx, Conversions.options(dtype, int4Accuracy, fp32Residual), err);
        ModelConfig modelConfig = ConfigJson.load(model);
        ImagePreprocessor preprocessor =
                GenerationEngine.imagePreprocessor(modelConfig, EngineConfig.DEFAULT.maxImagePixels());
        List<PixelTiles> tiles = new ArrayList<>();
        for (Path file : images) {
            BufferedImage picture = ImageIO.read(file.toFile());
            if (picture == null) {
                throw new IOException(file + ": not an image this JVM can read (PNG, JPEG, GIF, BMP)");
            }
            tiles.add(preprocessor.preprocess(picture));
        }
        EngineConfig config = EngineConfig.DEFAULT
                .withSlots(1, positionsNeeded(modelConfig, tiles))
                .withRuntime(RuntimeOptions.DEFAULT.withProvider(provider).withThreads(threads, 1));
        try (GenerationEngine engine = GenerationEngine.open(model, onnxDir, config)) {
            GenerationRequest request = GenerationRequest.of(prompt, maxNewTokens)
                    .withSampling(SamplingOptions.of(temperature, topP, seed));
            if (!json) {
                request = request.withListener(new Streamer(engine, out));
            }
            GenerationResult result =
                    engine.generate(new PageRequest(tiles, List.of(request))).getFirst();
            if (json) {
                out.println(toJson(result, tiles));
            } else {
                out.println();
                err.printf(
                        "%d prompt tokens, %d generated (%s), first token %.0f ms, %.1f tokens/s%n",
                        result.promptTokenIds().length,
                        result.tokenIds().length,
                        result.finishReason().name().toLowerCase(),
                        result.timings().firstTokenMs(),
                        result.tokenIds().length / (result.timings().totalMs() / 1000));
            }
            out.flush();
        }
        return 0;
    }

    /** The prompt's length is known before the engine opens, so its one KV slot is sized to fit it exactly. */
    private int positionsNeeded(ModelConfig config, List<PixelTiles> tiles) throws IOException {
        try (Tokenizer tokenizer = Tokenizer.load(model)) {
            List<Integer> counts = tiles.stream().map(PixelTiles::tileCount).toList();
            return new ChatPrompt(tokenizer, config.tokensPerTile())
                            .build(prompt, counts)
                            .ids()
                            .length
                    + maxNewTokens;
        }
    }

    private String toJson(GenerationResult result, List<PixelTiles> tiles) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model.toString());
        root.put("dtype", dtype.name().toLowerCase());
        root.put("prompt", prompt);
        ArrayNode tileCounts = root.putArray("imageTiles");
        tiles.forEach(t -> tileCounts.add(t.tileCount()));
        ArrayNode promptIds = root.putArray("promptTokenIds");
        for (int id : result.promptTokenIds()) {
            promptIds.add(id);
        }
        ArrayNode ids = root.putArray("generatedTokenIds");
        for (int id : result.tokenIds()) {
            ids.add(id);
        }
        ArrayNode logprobs = root.putArray("logprobs");
        for (float logprob : result.logprobs()) {
            logprobs.add(logprob);
        }
        root.put("text", result.text());
        root.put("finishReason", result.finishReason().name());
        Timings timings = result.timings();
        ObjectNode times = root.putObject("timings");
        times.put("queueMs", timings.queueMs());
        times.put("visionMs", timings.visionMs());
        times.put("prefillMs", timings.prefillMs());
        times.put("firstTokenMs", timings.firstTokenMs());
        times.put("decodeMs", timings.decodeMs());
        times.put("totalMs", timings.totalMs());
        return root.toString();
    }

    /** Prints the answer as it grows, holding back a trailing incomplete UTF-8 character. */
    private static final class Streamer implements GenerationListener {
        private final GenerationEngine engine;
        private final PrintWriter out;
        private final List<Integer> tokens = new ArrayList<>();
        private String printed = "";

        Streamer(GenerationEngine engine, PrintWriter out) {
            this.engine = engine;
            this.out = out;
        }

        @Override
        public void onToken(int index, int tokenId, float logprob) {
            tokens.add(tokenId);
            String text =
                    engine.decode(tokens.stream().mapToInt(Integer::intValue).toArray());
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '\uFFFD') {
                end--;
            }
            if (end > printed.length() && text.startsWith(printed)) {
                out.print(text.substring(printed.length(), end));
                out.flush();
                printed = text.substring(0, end);
            }
        }
    }
}
