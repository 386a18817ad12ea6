package io.pagestream.internvl.onnx;

import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.checkpoint.VisionConfig;
import io.pagestream.internvl.random.RandomCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Tiny random checkpoints for conversion tests: the reference fixture's decoder (hidden 64, 2 layers, 4 heads, 2 KV
 * heads, the real 92553-token vocabulary) with 224-pixel tiles, so a tile is 64 visual tokens instead of 256 and
 * image prompts stay short enough for the plain-Java reference.
 */
public final class TinyModels {
    public static final int IMG_CONTEXT = 92546;
    public static final int TILE = 224;

    private TinyModels() {}

    public static ModelConfig config() {
        ModelConfig base;
        try (InputStream in = TinyModels.class.getResourceAsStream("/reference-fixture/config.json")) {
            base = ConfigJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VisionConfig v = base.vision();
        LlmConfig l = base.llm();
        return new ModelConfig(
                new VisionConfig(v.modelType(), TILE, v.patchSize(), v.hiddenSize(), v.numChannels()),
                new LlmConfig(
                        l.architectures(),
                        l.hiddenSize(),
                        l.numHiddenLayers(),
                        l.numAttentionHeads(),
                        l.numKeyValueHeads(),
                        l.intermediateSize(),
                        l.vocabSize(),
                        l.rmsNormEps(),
                        l.ropeTheta(),
                        l.ropeScaling(),
                        512,
                        l.hiddenAct(),
                        l.bias(),
                        l.tieWordEmbeddings()),
                base.selectLayer(),
                TILE,
                base.downsampleRatio(),
                base.template(),
                base.dynamicImageSize(),
                base.useThumbnail(),
                base.psVersion(),
                base.minDynamicPatch(),
                base.maxDynamicPatch());
    }

    public static void write(Path dir, long seed) {
        RandomCheckpoint.write(config(), seed, DType.BF16, dir);
    }
}
