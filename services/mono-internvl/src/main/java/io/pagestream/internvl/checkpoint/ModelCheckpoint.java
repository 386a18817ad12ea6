package io.pagestream.internvl.checkpoint;

import java.nio.file.Path;

/**
 * A Mono-InternVL checkpoint directory that has passed every load-time check: the config is supported and the
 * tensors are exactly those the config implies. The engine should load through here rather than the parts.
 */
public record ModelCheckpoint(ModelConfig config, Checkpoint tensors) {
    public static ModelCheckpoint open(Path dir) {
        ModelConfig config = ConfigJson.load(dir);
        Checkpoint tensors = Checkpoint.open(dir);
        CheckpointLayout.of(config).check(tensors.tensors()).requireMatch(dir);
        return new ModelCheckpoint(config, tensors);
    }
}
