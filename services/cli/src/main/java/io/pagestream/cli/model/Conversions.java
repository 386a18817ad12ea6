package io.pagestream.cli.model;

import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.DecoderOptions;
import io.pagestream.internvl.onnx.Int4Options;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the commands that run the model find its ONNX conversion: {@code --onnx DIR}, or {@code onnx-<dtype>} inside
 * the checkpoint directory ({@code onnx-int4-acc<N>} for an int4 accuracy level other than 0, a {@code -r32} suffix
 * for a float32 residual stream). A missing or stale conversion is made first (once; later runs reuse it).
 */
final class Conversions {
    static final String ACCURACY_HELP = "int4 MatMulNBits accuracy_level: 0 (exact dequantised product, the default) "
            + "or 4 (int8 activations per block on the CPU: faster batched decode, about 3e-2 further off).";
    static final String DTYPE_HELP = "fp32 (CPU), int4 (CPU: 4-bit weights, fp32 activations), fp16 or bf16 (CUDA), "
            + "int4_fp16 (CUDA: 4-bit weights, fp16 activations).";
    static final String RESIDUAL_HELP = "Keep the residual stream and the norms in fp32 in an fp16/int4_fp16 "
            + "conversion (trained InternLM2 checkpoints have residual activations near or past fp16's 65504; see "
            + "docs/engine.md, Precision). No effect on fp32 and int4 (fp32 activations); bf16 has fp32's range.";

    private Conversions() {}

    /** Generation options: last-position logits, int4 blocks quantised symmetrically at this accuracy level. */
    static DecoderOptions options(TargetDtype dtype, int int4Accuracy) {
        return options(dtype, int4Accuracy, false);
    }

    static DecoderOptions options(TargetDtype dtype, int int4Accuracy, boolean fp32Residual) {
        return new DecoderOptions(dtype, new Int4Options(true, int4Accuracy), false, fp32Residual);
    }

    static Path defaultDir(Path model, DecoderOptions options) {
        String name = "onnx-" + options.dtype().name().toLowerCase(Locale.ROOT);
        int level = options.int4().accuracyLevel();
        String acc = options.dtype().quantised() && level != 0 ? "-acc" + level : "";
        return model.resolve(name + acc + (options.fp32Residual() ? "-r32" : ""));
    }

    static Path ensure(Path model, Path onnx, DecoderOptions options, PrintWriter log) {
        Path dir = onnx != null ? onnx : defaultDir(model, options);
        ConversionResult result = Converter.convert(model, dir, options);
        if (!result.reused()) {
            log.printf(
                    "converted %s to %s ONNX in %s (%.1f s)%n",
                    model,
                    options.dtype().name().toLowerCase(Locale.ROOT),
                    dir,
                    result.elapsed().toMillis() / 1000.0);
            log.flush();
        }
        return dir;
    }
}
