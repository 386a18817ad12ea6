package io.pagestream.internvl.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.internvl.TestResources;
import io.pagestream.internvl.checkpoint.Bf16;
import io.pagestream.internvl.checkpoint.Checkpoint;
import io.pagestream.internvl.checkpoint.CheckpointLayout;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelCheckpoint;
import io.pagestream.internvl.checkpoint.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomCheckpointTest {
    private static final long SEED = 42;
    /** Splits the checkpoint's 1.3 MB of bf16 into several shards. */
    private static final long SHARD_BYTES = 400_000;

    private static final String WQKV = "language_model.model.layers.1.attention.wqkv.weight";
    private static final String OUTPUT = "language_model.output.weight";

    @TempDir
    static Path dir;

    private static ModelConfig config;
    private static ModelCheckpoint checkpoint;

    @BeforeAll
    static void write() {
        config = smallVocabulary(ConfigJson.load(TestResources.bundledConfig("tiny")));
        RandomCheckpoint.write(config, SEED, DType.BF16, dir, SHARD_BYTES);
        checkpoint = ModelCheckpoint.open(dir);
    }

    @Test
    void writesTheConfigAndEveryTensorOfTheLayoutInShards() {
        assertEquals(config, checkpoint.config());
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.INDEX_FILE)));
        assertTrue(shards(dir).size() > 1, shards(dir).toString());
        assertEquals(
                CheckpointLayout.of(config).shapes().keySet(),
                checkpoint.tensors().names());
        assertEquals(DType.BF16, checkpoint.tensors().info(WQKV).dtype());
    }

    /** Each tensor comes from its own stream, so it can be recomputed alone, whatever was written before it. */
    @Test
    void tensorValuesDependOnlyOnSeedAndName() {
        InitScheme scheme = new InitScheme(config);
        for (String name : List.of(WQKV, OUTPUT, "mlp1.1.bias")) {
            List<Integer> shape = CheckpointLayout.of(config).shapes().get(name);
            float[] alone = RandomTensors.values(SEED, name, shape, scheme.of(name));
            float[] stored = checkpoint.tensors().toFloatArray(name);
            for (int i = 0; i < alone.length; i++) {
                assertEquals(Bf16.toFloat(Bf16.fromFloat(alone[i])), stored[i], name + "[" + i + "]");
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDifferentOnes(@TempDir Path again, @TempDir Path other)
            throws IOException {
        RandomCheckpoint.write(config, SEED, DType.BF16, again, SHARD_BYTES);
        RandomCheckpoint.write(config, SEED + 1, DType.BF16, other, SHARD_BYTES);
        assertEquals(shards(dir), shards(again));
        for (String shard : shards(dir)) {
            assertEquals(-1, Files.mismatch(dir.resolve(shard), again.resolve(shard)), shard);
            assertTrue(Files.mismatch(dir.resolve(shard), other.resolve(shard)) >= 0, shard);
        }
    }

    @Test
    void float32CheckpointsHoldTheGeneratedValuesExactly(@TempDir Path f32) {
        RandomCheckpoint.write(config, SEED, DType.F32, f32);
        Checkpoint tensors = Checkpoint.open(f32);
        assertTrue(Files.isRegularFile(f32.resolve(Checkpoint.SINGLE_FILE)));
        String name = "language_model.model.norm.weight";
        assertArrayEquals(
                RandomTensors.values(SEED, name, List.of(64), new InitScheme(config).of(name)),
                tensors.toFloatArray(name));
    }

    @Test
    void scalesFollowTheInitScheme() {
        Map<String, Double> expectedStd = Map.of(
                WQKV,
                1 / Math.sqrt(64),
                "language_model.model.layers.0.feed_forward_ve.w2.weight",
                1 / Math.sqrt(128) / 2,
                "language_model.model.tok_embeddings.weight",
                1.0);
        expectedStd.forEach((name, std) -> {
            Stats stats = Stats.of(checkpoint.tensors().toFloatArray(name));
            assertEquals(0, stats.mean(), 0.05 * std, name);
            assertEquals(std, stats.std(), 0.05 * std, name);
        });
        Stats norm = Stats.of(checkpoint.tensors().toFloatArray("language_model.model.layers.0.ffn_norm.weight"));
        assertEquals(1, norm.mean(), 0.05);
        assertTrue(norm.min() > 0.8 && norm.max() < 1.2, norm.toString());
    }

    /** The LM head's row norms are log-normal: a few rows several times the median, none zero. */
    @Test
    void lmHeadRowNormsAreSpread() {
        float[] head = checkpoint.tensors().toFloatArray(OUTPUT);
        int hidden = config.llm().hiddenSize();
        double[] norms = new double[config.llm().vocabSize()];
        for (int row = 0; row < norms.length; row++) {
            double sum = 0;
            for (int i = 0; i < hidden; i++) {
                sum += head[row * hidden + i] * head[row * hidden + i];
            }
            norms[row] = Math.sqrt(sum);
        }
        Arrays.sort(norms);
        double median = norms[norms.length / 2];
        assertTrue(norms[norms.length - 1] > 10 * median, "largest row norm " + norms[norms.length - 1]);
        assertTrue(norms[0] > 0, "smallest row norm " + norms[0]);
    }

    @Test
    void fnvHashMatchesThePublishedTestVector() {
        assertEquals(0xAF63DC4C8601EC8CL, RandomTensors.fnv1a64("a"));
        assertFalse(RandomTensors.fnv1a64(WQKV) == RandomTensors.fnv1a64(OUTPUT));
    }

    /** The tiny config with 4096 tokens: nothing here needs the real vocabulary, and it keeps the writes small. */
    private static ModelConfig smallVocabulary(ModelConfig tiny) {
        LlmConfig l = tiny.llm();
        LlmConfig llm = new LlmConfig(
                l.architectures(),
                l.hiddenSize(),
                l.numHiddenLayers(),
                l.numAttentionHeads(),
                l.numKeyValueHeads(),
                l.intermediateSize(),
                4096,
                l.rmsNormEps(),
                l.ropeTheta(),
                l.ropeScaling(),
                l.maxPositionEmbeddings(),
                l.hiddenAct(),
                l.bias(),
                l.tieWordEmbeddings());
        return new ModelConfig(
                tiny.vision(),
                llm,
                tiny.selectLayer(),
                tiny.forceImageSize(),
                tiny.downsampleRatio(),
                tiny.template(),
                tiny.dynamicImageSize(),
                tiny.useThumbnail(),
                tiny.psVersion(),
                tiny.minDynamicPatch(),
                tiny.maxDynamicPatch());
    }

    private static List<String> shards(Path checkpointDir) {
        try (Stream<Path> files = Files.list(checkpointDir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".safetensors"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Stats(double mean, double std, double min, double max) {
        static Stats of(float[] values) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (float v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Stats(mean, Math.sqrt(squares / values.length), min, max);
        }
    }
}
