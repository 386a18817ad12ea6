package io.pagestream.cli.model;

import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.TargetDtype;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Converts an HF checkpoint to ONNX graphs, reusing an earlier conversion when nothing changed. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description =
                "Convert a Mono-InternVL HF checkpoint to ONNX (embedding, vision, decoder and decode-step graphs).")
final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Checkpoint directory (config.json, safetensors).")
    Path model;

    @Option(
            names = "--out",
            required = true,
            description = "Output directory; a valid earlier conversion there is reused.")
    Path out;

    @Option(
            names = "--dtype",
            defaultValue = "fp32",
            converter = DtypeConverter.class,
            description = Conversions.DTYPE_HELP + " Default: ${DEFAULT-VALUE}.")
    TargetDtype dtype;

    @Option(names = "--fp32-residual", description = Conversions.RESIDUAL_HELP)
    boolean fp32Residual;

    @Option(names = "--int4-accuracy", defaultValue = "0", description = Conversions.ACCURACY_HELP)
    int int4Accuracy;

    @Override
    public Integer call() {
        if (dtype.precision() == io.pagestream.internvl.onnx.Precision.FP16 && !fp32Residual) {
            System.err.println("note: plain fp16 overflows on the real Mono-InternVL-2B residual stream (spec: fp16 "
                    + "activations overflow to NaN); prefer bf16, or add --fp32-residual (docs/engine.md, Precision)");
        }
        ConversionResult result = Converter.convert(model, out, Conversions.options(dtype, int4Accuracy, fp32Residual));
        System.out.printf(
                "%s %s conversion in %s (%.1f s): %s, %s, %s, %s%n",
                result.reused() ? "reused the" : "wrote a",
                dtype.name().toLowerCase(Locale.ROOT),
                result.outDir(),
                result.elapsed().toMillis() / 1000.0,
                result.embeddingModel(),
                result.visionModel(),
                result.decoderModel(),
                result.decodeModel());
        return 0;
    }

    static final class DtypeConverter implements ITypeConverter<TargetDtype> {
        @Override
        public TargetDtype convert(String value) {
            return TargetDtype.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
