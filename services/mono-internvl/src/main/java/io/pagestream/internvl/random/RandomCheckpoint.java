package io.pagestream.internvl.random;

import io.pagestream.internvl.checkpoint.CheckpointException;
import io.pagestream.internvl.checkpoint.CheckpointLayout;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ConfigValidator;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a checkpoint directory with random weights for a config: {@code config.json} and safetensors shards (with
 * an index when there is more than one) holding every tensor of {@link CheckpointLayout}, initialised per
 * {@link InitScheme}. The same config, seed and dtype always give byte-identical files. No tokenizer files are
 * written.
 *
 * <p>Tensors are generated and written one at a time, so memory use is bounded by the largest tensor as float32
 * (the 92553 × 2048 embedding, 0.76 GB, for the real model), not by the checkpoint: the real 2B layout in bf16
 * (6.2 GB) was written in 49 s on two cores with {@code -Xmx1g}, peak resident memory 0.88 GB.
 */
public final class RandomCheckpoint {
    /** HF's default shard limit ("5GB"); the real checkpoint's first shard is 4.97 GB. */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

    private RandomCheckpoint() {}

    public static void write(ModelConfig config, long seed, DType dtype, Path dir) {
        write(config, seed, dtype, dir, DEFAULT_SHARD_BYTES);
    }

    public static void write(ModelConfig config, long seed, DType dtype, Path dir, long maxShardBytes) {
        ConfigValidator.validate(config, "random checkpoint config");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot create: " + e.getMessage(), e);
        }
        ConfigJson.write(config, dir);
        InitScheme scheme = new InitScheme(config);
        SafetensorsWriter.writeCheckpoint(
                dir,
                CheckpointLayout.of(config).specs(dtype),
                maxShardBytes,
                spec -> RandomTensors.values(seed, spec.name(), spec.shape(), scheme.of(spec.name())));
    }
}
