package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.image.ImagePreprocessConfig;
import io.pagestream.internvl.image.ImagePreprocessor;
import io.pagestream.internvl.image.PixelTiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The Mono-InternVL generation engine: pages (images + prompts) in, tokens with log-probabilities out.
 *
 * <p>Any thread may {@link #submit} pages, checked by {@link PageIntake}; one engine thread ({@link EngineLoop})
 * admits queued pages while KV slots are free ({@link PageAdmission}: encode the images, prefill each prompt, sharing
 * the page's common prefix), then runs one batched decode step over every active sequence ({@link ActiveSequences}),
 * samples, streams the tokens, and frees the slots of finished sequences so that waiting pages start at the next
 * iteration (continuous batching); results reach their callers through {@link Completions}. See
 * {@code docs/engine.md}.
 *
 * <p>Memory is fixed when the engine opens: the KV cache ({@link EngineConfig#kvTokenBudget()} positions) and the
 * decode step's tensors are allocated once ({@link EngineResources}) and released by {@link #close()}.
 */
public final class GenerationEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GenerationEngine.class.getName());

    private final EngineConfig config;
    private final EngineResources resources;
    private final ModelInfo info;
    private final ImagePreprocessor preprocessor;
    private final PageIntake intake;
    private final Scheduler scheduler = new Scheduler();
    private final EngineStats.Counter stats = new EngineStats.Counter();
    private final EngineLoop loop;

    private GenerationEngine(EngineConfig config, EngineResources resources, ImagePreprocessor preprocessor) {
        this.config = config;
        this.resources = resources;
        this.info = resources.model.info;
        this.preprocessor = preprocessor;
        this.intake = new PageIntake(config, resources);
        this.loop = new EngineLoop(config, resources, scheduler, stats);
    }

    /**
     * Opens the engine on a checkpoint (config and tokenizer) and its conversion ({@code model convert} output),
     * with {@link EngineConfig#runtime()}'s session settings; closing the engine closes the model.
     *
     * @throws IllegalArgumentException when the conversion is missing, stale or not a generation conversion
     */
    public static GenerationEngine open(Path checkpointDir, Path onnxDir, EngineConfig config)
            throws IOException, OrtException {
        OnnxModel model = OnnxModel.open(checkpointDir, onnxDir, config.runtime());
        try {
            return open(model, true, config);
        } catch (IOException | OrtException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Opens an engine on a model opened beforehand, which it leaves open: several engines may share one model.
     * {@link EngineConfig#runtime()} is not used; the model's own session settings apply.
     */
    public static GenerationEngine open(OnnxModel model, EngineConfig config) throws IOException, OrtException {
        return open(model, false, config);
    }

    private static GenerationEngine open(OnnxModel model, boolean ownsModel, EngineConfig config)
            throws IOException, OrtException {
        ImagePreprocessor preprocessor = imagePreprocessor(model.config, config.maxImagePixels());
        GenerationEngine engine =
                new GenerationEngine(config, EngineResources.open(model, ownsModel, config), preprocessor);
        engine.loop.start();
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> String.format(
                        "engine ready: %s on %s, %d slots × %d positions, KV cache %.1f MiB",
                        engine.info.dtype(),
                        engine.info.provider(),
                        config.maxBatch(),
                        config.slotCapacity(),
                        engine.kvCacheBytes() / 1048576.0));
        return engine;
    }

    public ModelInfo model() {
        return info;
    }

    public EngineConfig config() {
        return config;
    }

    /** Bytes of the preallocated KV cache. */
    public long kvCacheBytes() {
        return resources.steps.kvBytes();
    }

    /**
     * Bytes a decode step over {@code batch} slots moves between Java's host memory and the memory the sessions
     * compute in, counted from what the step binds: on a GPU, the PCIe traffic of a step.
     */
    public long stagedBytesPerStep(int batch) {
        if (batch < 1 || batch > config.maxBatch()) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + config.maxBatch());
        }
        return resources.steps.stagedBytesPerStep(batch);
    }

    public EngineStats stats() {
        return stats.snapshot();
    }

    /** Text of generated ids, as in {@link GenerationResult#text()}; usable from any thread. */
    public String decode(int[] ids) {
        return resources.decode(ids);
    }

    /** Tiles an image the way the model expects (tile size, grid limits and thumbnail from its config). */
    public PixelTiles preprocess(BufferedImage image) {
        return preprocessor.preprocess(image);
    }

    /**
     * The prompt's token ids, as {@link #submit} would build them for images of these tile counts.
     *
     * @throws IllegalStateException when the engine is closed
     */
    public int[] promptIds(String prompt, List<Integer> tilesPerImage) {
        return resources.promptIds(prompt, tilesPerImage);
    }

    /**
     * Queues a page; returns one handle per prompt, in order. Thread-safe. Everything that can be checked without
     * the model is checked before the page is queued, so a request that cannot run fails now rather than in the loop.
     *
     * @throws RequestRejectedException when a prompt cannot fit (KV slot, model positions), has more image
     *                                  placeholders than images, or the page has more prompts than slots
     * @throws IllegalStateException    when the engine is closed
     */
    public List<GenerationHandle> submit(PageRequest page) {
        long now = System.nanoTime();
        if (scheduler.closed()) {
            throw new IllegalStateException("the engine is closed");
        }
        PendingPage pending = intake.accept(page, now);
        scheduler.add(pending);
        return pending.prompts().stream().map(PendingPage.Prompt::handle).toList();
    }

    /** Submits a page and waits for all its results. */
    public List<GenerationResult> generate(PageRequest page) {
        return submit(page).stream().map(GenerationHandle::join).toList();
    }

    /**
     * Stops the engine: requests still queued or running complete exceptionally with a
     * {@link CancellationException}, then the sessions, KV cache and buffers are released. Waits for the current
     * step to end, unless called from a listener (on the engine thread), where the release follows the callback.
     */
    @Override
    public void close() {
        loop.stop();
    }

    /** The image preprocessing a model's config asks for (what {@link #preprocess} does), without an engine. */
    public static ImagePreprocessor imagePreprocessor(ModelConfig config, long maxPixels) {
        boolean dynamic = config.dynamicImageSize();
        return new ImagePreprocessor(new ImagePreprocessConfig(
                config.tileSize(),
                dynamic ? config.minDynamicPatch() : 1,
                dynamic ? config.maxDynamicPatch() : 1,
                dynamic && config.useThumbnail(),
                maxPixels));
    }
}
