package io.pagestream.cli.model;

import io.pagestream.internvl.bench.ActivationRange;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.Int4Options;
import io.pagestream.internvl.onnx.TargetDtype;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code model activations}: the largest activations per layer against float16's 65504 ({@link ActivationRange}). */
@Command(
        name = "activations",
        mixinStandardHelpOptions = true,
        description = "Largest |activation| per decoder layer (residual stream, attention output, FFN intermediate "
                + "and output, logits) on a one-tile page prompt, and the fp16 headroom.")
final class ActivationsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Checkpoint directory (config.json, safetensors).")
    Path model;

    @Option(
            names = "--tokens",
            defaultValue = "16",
            description = "Greedy decode steps after the prompt. Default: ${DEFAULT-VALUE}.")
    int tokens;

    @Option(
            names = "--work",
            description = "Where the measuring graphs are written and reused (fp32: 4 bytes a "
                    + "parameter, 12 GB for 2B). Default: activations-<dtype> inside the model directory.")
    Path work;

    @Option(
            names = "--dtype",
            defaultValue = "fp32",
            converter = ConvertCommand.DtypeConverter.class,
            description = "Graph precision: fp32 measures; fp16 (with or without --fp32-residual) shows what the CPU "
                    + "provider makes of it. Default: ${DEFAULT-VALUE}.")
    TargetDtype dtype;

    @Option(names = "--fp32-residual", description = Conversions.RESIDUAL_HELP)
    boolean fp32Residual;

    @Option(names = "--threads", defaultValue = "0", description = "ORT intra-op threads; 0 for ORT's default.")
    int threads;

    @Override
    public Integer call() throws Exception {
        DecoderOptions options = new DecoderOptions(dtype, Int4Options.DEFAULT, true, fp32Residual);
        Path dir = work != null
                ? work
                : model.resolve("activations-" + dtype.name().toLowerCase(Locale.ROOT)
                        + (options.fp32Residual() ? "-r32" : ""));
        ActivationRange.Result result =
                ActivationRange.measure(model, dir, new ActivationRange.Options(tokens, options, threads), line -> {
                    System.err.println(line);
                    System.err.flush();
                });
        ActivationRange.print(result, System.out);
        return 0;
    }
}
