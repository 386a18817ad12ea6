package io.pagestream.worker.model;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.checkpoint.ConfigJson;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.convert.Manifest;
import io.pagestream.internvl.engine.EngineConfig;
import io.pagestream.internvl.engine.ExecutionProvider;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.ProviderSelector;
import io.pagestream.internvl.engine.RuntimeOptions;
import io.pagestream.schema.OcrMode;
import io.pagestream.worker.WorkerConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The loaded model: conversion checked (or made), KV cache sized for the device, engine opened and warmed up by one
 * real generation, so the first page a consumer hands over does not pay for lazy initialisation.
 */
public final class ModelRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelRuntime.class.getName());
    /** Tokens generated per prompt in the warm-up: enough to run a prefill and batched decode steps. */
    private static final int WARMUP_TOKENS = 4;

    private final PageEngine engine;
    private final ModelIdentity identity;
    private final EngineSizing sizing;
    private final AcceleratorMemory memory;
    private final Prompts prompts;

    public ModelRuntime(
            PageEngine engine, ModelIdentity identity, EngineSizing sizing, AcceleratorMemory memory, Prompts prompts) {
        this.engine = engine;
        this.identity = identity;
        this.sizing = sizing;
        this.memory = memory;
        this.prompts = prompts;
    }

    public static ModelRuntime open(WorkerConfig config) {
        WorkerConfig.Model model = config.model();
        Prompts prompts = Prompts.of(config.prompts());
        ModelFiles files = ModelFiles.of(model);
        Manifest manifest = files.prepare(model.convert());
        ModelConfig modelConfig = ConfigJson.load(files.checkpoint());
        RuntimeOptions requested = new RuntimeOptions(
                ExecutionProvider.valueOf(model.provider().trim().toUpperCase(Locale.ROOT)),
                model.cudaDevice(),
                model.threads(),
                1,
                true,
                RuntimeOptions.DEFAULT.optimization(),
                RuntimeOptions.Prepack.AUTO);
        // CUDA that cannot load falls back to the CPU: the KV cache is sized from the memory that will really hold it.
        RuntimeOptions runtime = requested.withProvider(ProviderSelector.select(requested));
        AcceleratorMemory memory = runtime.provider() == ExecutionProvider.CUDA
                ? new NvidiaSmiMemory(model.cudaDevice())
                : new SystemMemory();
        EngineSizing sizing = EngineSizing.of(
                config, modelConfig, files.dtype(), manifest.maxPositions(), memory.freeBytes(), files.weightBytes());
        LOG.log(
                System.Logger.Level.INFO,
                () -> String.format(
                        "KV cache: %d slots × %d tokens = %d MiB on %s (%s)",
                        sizing.slots(), sizing.slotTokens(), sizing.kvBytes() >> 20, memory.device(), sizing.reason()));
        EngineConfig defaults = sizing.apply(EngineConfig.DEFAULT);
        EngineConfig engineConfig = new EngineConfig(
                defaults.maxBatch(),
                defaults.kvTokenBudget(),
                defaults.prefixReuse(),
                defaults.continuousBatching(),
                defaults.repetitionGuard(),
                config.pipeline().maxImagePixels(),
                runtime,
                config.engine().kvResidence());
        GenerationEngine engine;
        try {
            engine = GenerationEngine.open(files.checkpoint(), files.onnx(), engineConfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not open " + files.onnx() + ": " + e.getMessage(), e);
        }
        String id = model.id().orElse(files.checkpoint().getFileName().toString());
        ModelRuntime runtimeModel = new ModelRuntime(
                new GenerationEngineAdapter(engine), ModelIdentity.of(id, manifest), sizing, memory, prompts);
        try {
            runtimeModel.warmUp();
        } catch (RuntimeException e) {
            runtimeModel.close();
            throw e;
        }
        return runtimeModel;
    }

    /** One page through the whole engine path: vision, shared prefill, batched decode. */
    void warmUp() {
        long start = System.nanoTime();
        BufferedImage image = warmUpImage();
        PageRequest page = PageRequest.of(
                engine.preprocess(image),
                GenerationRequest.of(prompts.ocr(OcrMode.MARKDOWN), WARMUP_TOKENS),
                GenerationRequest.of(prompts.question("What is the title of this page?", false), WARMUP_TOKENS));
        List<GenerationResult> results =
                engine.submit(page).stream().map(run -> run.result().join()).toList();
        LOG.log(
                System.Logger.Level.INFO,
                () -> String.format(
                        "warm-up: %d prompts in %.0f ms", results.size(), (System.nanoTime() - start) / 1e6));
    }

    /** Text-like dark bars on white; shapes rather than glyphs, since a headless host may have no fonts. */
    private static BufferedImage warmUpImage() {
        BufferedImage image = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.DARK_GRAY);
            for (int line = 0; line < 12; line++) {
                g.fillRect(32, 40 + line * 32, 160 + (line * 53) % 220, 14);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    public PageEngine engine() {
        return engine;
    }

    public ModelIdentity identity() {
        return identity;
    }

    public EngineSizing sizing() {
        return sizing;
    }

    public AcceleratorMemory memory() {
        return memory;
    }

    public Prompts prompts() {
        return prompts;
    }

    @Override
    public void close() {
        engine.close();
    }
}
