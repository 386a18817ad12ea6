package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.CheckpointLayout;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A float32 copy of a checkpoint with some tensors changed, for tests that need weights of a given shape. */
public final class EditedCheckpoint {
    /** Returns the new values of tensor {@code name} (row-major), or {@code values} to keep them. */
    public interface Edit {
        float[] apply(String name, float[] values);
    }

    private EditedCheckpoint() {}

    public static void write(Path source, Path target, Edit edit) throws IOException {
        Files.createDirectories(target);
        ModelConfig config = ConfigJson.load(source);
        Checkpoint checkpoint = Checkpoint.open(source);
        ConfigJson.write(config, target);
        SafetensorsWriter.writeCheckpoint(
                target,
                CheckpointLayout.of(config).specs(DType.F32),
                Long.MAX_VALUE,
                spec -> edit.apply(spec.name(), checkpoint.toFloatArray(spec.name())));
    }

    /** Multiplies every value of the named tensors by {@code factor}. */
    public static Edit scale(float factor, String... names) {
        java.util.Set<String> set = java.util.Set.of(names);
        return (name, values) -> {
            if (set.contains(name)) {
                for (int i = 0; i < values.length; i++) {
                    values[i] *= factor;
                }
            }
            return values;
        };
    }
}
