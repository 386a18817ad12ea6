package io.pagestream.cli.model;

import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.onnx.TargetDtype;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What the model commands do that other commands reuse: bundled configs and conversions made once. */
public final class ModelTools {
    private ModelTools() {}

    /** A config.json file, its directory, or a bundled config's name ({@value ModelConfigs#BUNDLED}). */
    public static ModelConfig config(String nameOrFile) {
        return ModelConfigs.resolve(nameOrFile);
    }

    /** The {@code onnx-<dtype>} conversion inside the checkpoint directory, made first when missing or stale. */
    public static Path ensureConversion(Path checkpoint, TargetDtype dtype, PrintWriter log) {
        return Conversions.ensure(checkpoint, null, Conversions.options(dtype, 0), log);
    }
}
