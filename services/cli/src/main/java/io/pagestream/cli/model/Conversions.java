package io.pagestream.cli.model;

import io.pagestream.internvl.convert.ConversionResult;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the commands that run the model find its ONNX conversion: {@code --onnx DIR}, or {@code onnx-<dtype>} inside
 * the checkpoint directory. A missing or stale conversion is made first (once; later runs reuse it).
 */
final class Conversions {
    private Conversions() {
    }

    static Path defaultDir(Path model, TargetDtype dtype) {
        return model.resolve("onnx-" + dtype.name().toLowerCase(Locale.ROOT));
    }

    static Path ensure(Path model, Path onnx, TargetDtype dtype, PrintWriter log) {
        Path dir = onnx != null ? onnx : defaultDir(model, dtype);
        ConversionResult result = Converter.convert(model, dir, dtype);
        if (!result.reused()) {
            log.printf("converted %s to %s ONNX in %s (%.1f s)%n", model, dtype.name().toLowerCase(Locale.ROOT), dir,
                    result.elapsed().toMillis() / 1000.0);
            log.flush();
        }
        return dir;
    }
}
