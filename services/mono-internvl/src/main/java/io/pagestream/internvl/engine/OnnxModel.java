package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.LlmConfig;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.convert.CacheKey;
import io.pagestream.internvl.convert.Converter;
import io.pagestream.internvl.convert.Manifest;
import io.pagestream.internvl.onnx.TargetDtype;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The four ORT sessions of a conversion (vision, embedding, decoder, and the decode-step decoder), opened by path so that ORT memory-maps the
 * external weights, after checking that the conversion belongs to the checkpoint and suits generation. Opening a
 * 2B model takes seconds, so several engines (different batch or cache settings) may share one; ORT sessions are
 * safe to run from several threads.
 */
public final class OnnxModel implements AutoCloseable {
    final Path checkpointDir;
    final OrtEnvironment env;
    final OrtSession vision;
    final OrtSession embedding;
    final OrtSession decoder;
    /** The decoder without the visual experts' routing, for decode steps (no image token ever reaches them). */
    final OrtSession decode;

    final ModelConfig config;
    final ModelInfo info;
    /** The GPU ordinal the sessions use when {@link ModelInfo#provider()} is CUDA. */
    final int cudaDevice;

    private OnnxModel(
            Path checkpointDir,
            OrtEnvironment env,
            OrtSession vision,
            OrtSession embedding,
            OrtSession decoder,
            OrtSession decode,
            ModelConfig config,
            ModelInfo info,
            int cudaDevice) {
        this.checkpointDir = checkpointDir;
        this.env = env;
        this.vision = vision;
        this.embedding = embedding;
        this.decoder = decoder;
        this.decode = decode;
        this.config = config;
        this.info = info;
        this.cudaDevice = cudaDevice;
    }

    /**
     * @throws IllegalArgumentException when the conversion is missing, stale or not a generation conversion
     */
    public static OnnxModel open(Path checkpointDir, Path onnxDir, RuntimeOptions options) throws OrtException {
        ModelConfig config = ConfigJson.load(checkpointDir);
        Manifest manifest = checkedManifest(checkpointDir, onnxDir);
        TargetDtype dtype = TargetDtype.valueOf(manifest.dtype());
        ExecutionProvider provider = ProviderSelector.select(options);
        LlmConfig llm = config.llm();
        ModelInfo info = new ModelInfo(
                manifest.dtype(),
                dtype.precision(),
                llm.numHiddenLayers(),
                llm.hiddenSize(),
                llm.numKeyValueHeads(),
                llm.headDim(),
                llm.vocabSize(),
                manifest.tokensPerTile(),
                config.tileSize(),
                manifest.maxPositions(),
                provider);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession vision = null;
        OrtSession embedding = null;
        OrtSession decoder = null;
        boolean prepack =
                switch (options.prepack()) {
                    case AUTO -> dtype.quantised();
                    case ON -> true;
                    case OFF -> false;
                };
        try {
            vision = session(env, graph(onnxDir, Converter.VISION), options, provider, prepack, "vision");
            embedding = session(env, graph(onnxDir, Converter.EMBEDDING), options, provider, prepack, "embedding");
            decoder = session(env, graph(onnxDir, Converter.DECODER), options, provider, prepack, "decoder");
            OrtSession decode =
                    session(env, Converter.decodeGraph(onnxDir).toString(), options, provider, prepack, "decode");
            return new OnnxModel(
                    checkpointDir, env, vision, embedding, decoder, decode, config, info, options.cudaDevice());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(decoder);
            closeQuietly(vision);
            closeQuietly(embedding);
            throw e;
        }
    }

    /**
     * One session with its own options: ORT names a profile by its prefix and the second it started, so sessions
     * opened within one second would share a file unless each has its own prefix.
     */
    private static OrtSession session(
            OrtEnvironment env,
            String path,
            RuntimeOptions options,
            ExecutionProvider provider,
            boolean prepack,
            String name)
            throws OrtException {
        RuntimeOptions own =
                options.profilePrefix() == null ? options : options.withProfiling(options.profilePrefix() + "-" + name);
        try (SessionOptions session = ProviderSelector.sessionOptions(own, provider, prepack)) {
            return env.createSession(path, session);
        }
    }

    /** The checkpoint directory the model was opened from (config and tokenizer files). */
    public Path checkpointDir() {
        return checkpointDir;
    }

    public ModelInfo info() {
        return info;
    }

    public ModelConfig config() {
        return config;
    }

    private static Manifest checkedManifest(Path checkpointDir, Path onnxDir) {
        Manifest manifest = Manifest.read(onnxDir);
        if (manifest == null) {
            throw new IllegalArgumentException(onnxDir + " holds no conversion (" + Manifest.FILE_NAME
                    + " missing or unreadable): run ./pagestream model convert --model " + checkpointDir + " --out "
                    + onnxDir);
        }
        if (manifest.allLogits()) {
            throw new IllegalArgumentException(onnxDir + " was converted with logits at every position (for "
                    + "scoring); generation needs the default conversion, which returns each row's last logits");
        }
        TargetDtype dtype = TargetDtype.valueOf(manifest.dtype());
        if (!CacheKey.of(checkpointDir, manifest.decoderOptions()).equals(manifest.cacheKey())) {
            throw new IllegalArgumentException(onnxDir + " is not the current conversion of " + checkpointDir
                    + " (the checkpoint changed, or it was converted from another one or with other options): run "
                    + "./pagestream model convert --model " + checkpointDir + " --out " + onnxDir + " --dtype "
                    + dtype.name().toLowerCase(Locale.ROOT));
        }
        return manifest;
    }

    private static String graph(Path onnxDir, String name) {
        return onnxDir.resolve(name).resolve(Converter.MODEL_FILE).toString();
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            // Already failing; the first error is the one worth reporting.
        }
    }

    @Override
    public void close() throws OrtException {
        try {
            decode.close();
        } finally {
            closeQuietly(decoder);
            closeQuietly(embedding);
            closeQuietly(vision);
        }
    }
}
