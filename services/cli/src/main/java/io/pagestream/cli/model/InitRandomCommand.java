package io.pagestream.cli.model;

import io.pagestream.internvl.checkpoint.DType;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.random.RandomCheckpoint;
import io.pagestream.internvl.tokenizer.TokenizerFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a checkpoint with seeded random weights in the exact Hugging Face layout of Mono-InternVL. */
@Command(
        name = "init-random",
        mixinStandardHelpOptions = true,
        description = "Write a random checkpoint (config.json, safetensors, tokenizer files) in the HF layout.")
final class InitRandomCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            required = true,
            description = "A config.json file (or its directory), or a bundled config: " + ModelConfigs.BUNDLED + ".")
    String config;

    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the weights and the tokenizer. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--dtype",
            defaultValue = "BF16",
            description = "Tensor type: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE} (as the real checkpoint).")
    DType dtype;

    @Override
    public Integer call() throws Exception {
        ModelConfig model = ModelConfigs.resolve(config);
        long start = System.nanoTime();
        RandomCheckpoint.write(model, seed, dtype, out);
        TokenizerFiles.write(out, model.llm().vocabSize(), seed);
        System.out.printf(
                "wrote a random %s checkpoint (seed %d) to %s in %.1f s — its outputs are meaningless text%n",
                dtype, seed, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
