package io.pagestream.internvl.engine;

import ai.onnxruntime.OrtException;
import io.pagestream.internvl.checkpoint.ModelConfig;
import io.pagestream.internvl.image.ImagePreprocessConfig;
import io.pagestream.internvl.image.ImagePreprocessor;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.internvl.tokenizer.InternLm2Tokens;
import io.pagestream.internvl.tokenizer.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The Mono-InternVL generation engine: pages (images + prompts) in, tokens with log-probabilities out.
 *
 * <p>Any thread may {@link #submit} pages; one engine thread runs the loop: admit queued pages while KV slots are
 * free (encode the images, prefill each prompt, sharing the page's common prefix), then run one batched decode step
 * over every active sequence, sample, stream the tokens, and free the slots of finished sequences so that waiting
 * pages start at the next iteration (continuous batching). See {@code docs/engine.md}.
 *
 * <p>Memory is fixed when the engine opens: the KV cache ({@link EngineConfig#kvTokenBudget()} positions) and the
 * decode step's tensors are allocated once and released by {@link #close()}.
 */
public final class GenerationEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GenerationEngine.class.getName());

    private final EngineConfig config;
    private final OnnxModel model;
    private final boolean ownsModel;
    private final Tokenizer tokenizer;
    private final ChatPrompt chat;
    private final ImagePreprocessor preprocessor;
    private final int[] defaultStops;
    private final NativeMemory memory;
    private final ModelSteps steps;
    private final Sampler sampler;
    private final SlotAllocator slots;
    private final Sequence[] active;
    private final Scheduler scheduler = new Scheduler();
    private final EngineStats.Counter stats = new EngineStats.Counter();
    private final List<Completion> completions = new ArrayList<>();
    private final Thread thread;
    /** Guarded by the tokenizer's lock: the native tokenizer must not be used once released. */
    private boolean tokenizerClosed;

    /** A finished or failed request, handed to its caller once the iteration's bookkeeping is done. */
    private record Completion(PendingPage.Prompt prompt, GenerationResult result, Throwable error) {
    }

    private GenerationEngine(EngineConfig config, OnnxModel model, boolean ownsModel, Tokenizer tokenizer,
            NativeMemory memory) throws OrtException {
        this.config = config;
        this.model = model;
        this.ownsModel = ownsModel;
        this.tokenizer = tokenizer;
        this.memory = memory;
        ModelInfo info = model.info;
        this.chat = new ChatPrompt(tokenizer, info.tokensPerTile());
        ImagePreprocessConfig imageConfig = preprocessConfig(model.config, config.maxImagePixels());
        this.preprocessor = new ImagePreprocessor(imageConfig);
        this.defaultStops = ids(tokenizer.stopTokenIds());
        int capacity = config.slotCapacity();
        int visionTiles = Math.max(1, Math.min(capacity / info.tokensPerTile(), model.config.maxImageTiles()));
        MemorySegment pixels = memory.segment(4L * 3 * info.tileSize() * info.tileSize() * visionTiles);
        int imageContextId = tokenizer.tokenId(InternLm2Tokens.IMG_CONTEXT);
        this.steps = switch (config.kvResidence()) {
            case DEVICE -> BoundSteps.open(model, memory, config.maxBatch(), capacity, pixels, imageContextId);
            case HOST -> HostSteps.open(model, memory, config.maxBatch(), capacity,
                    pixels.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer(), imageContextId);
        };
        this.sampler = new Sampler(info.vocab());
        this.slots = new SlotAllocator(config.maxBatch());
        this.active = new Sequence[config.maxBatch()];
        this.thread = new Thread(this::loop, "pagestream-engine");
        thread.setDaemon(true);
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
        NativeMemory memory = NativeMemory.open();
        Tokenizer tokenizer = null;
        try {
            tokenizer = Tokenizer.load(model.checkpointDir);
            GenerationEngine engine = new GenerationEngine(config, model, ownsModel, tokenizer, memory);
            engine.thread.start();
            ModelInfo info = model.info;
            LOG.log(System.Logger.Level.DEBUG, () -> String.format(
                    "engine ready: %s on %s, %d slots × %d positions, KV cache %.1f MiB", info.dtype(),
                    info.provider(), config.maxBatch(), config.slotCapacity(), engine.steps.kvBytes() / 1048576.0));
            return engine;
        } catch (IOException | OrtException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            memory.close();
            throw e;
        }
    }

    public ModelInfo model() {
        return model.info;
    }

    public EngineConfig config() {
        return config;
    }

    /** Bytes of the preallocated KV cache. */
    public long kvCacheBytes() {
        return steps.kvBytes();
    }

    /**
     * Bytes a decode step over {@code batch} slots moves between Java's host memory and the memory the sessions
     * compute in, counted from what the step binds: on a GPU, the PCIe traffic of a step.
     */
    public long stagedBytesPerStep(int batch) {
        if (batch < 1 || batch > config.maxBatch()) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + config.maxBatch());
        }
        return steps.stagedBytesPerStep(batch);
    }

    public EngineStats stats() {
        return stats.snapshot();
    }

    /** Text of generated ids, as in {@link GenerationResult#text()}; usable from any thread. */
    public String decode(int[] ids) {
        return tokenizer.decode(ids);
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
        synchronized (tokenizer) {
            if (tokenizerClosed) {
                throw new IllegalStateException("the engine is closed");
            }
            return chat.build(prompt, tilesPerImage).ids();
        }
    }

    /**
     * Queues a page; returns one handle per prompt, in order. Thread-safe. Everything that can be checked without
     * the model is checked here, so a request that cannot run fails now rather than in the loop.
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
        if (page.prompts().size() > config.maxBatch()) {
            throw new RequestRejectedException("the page has " + page.prompts().size() + " prompts; the engine runs "
                    + "at most maxBatch = " + config.maxBatch() + " at once and starts a page's prompts together");
        }
        List<Integer> tiles = new ArrayList<>();
        for (PixelTiles image : page.images()) {
            if (image.tileSize() != model.info.tileSize()) {
                throw new RequestRejectedException("an image has " + image.tileSize() + "-pixel tiles; the model "
                        + "takes " + model.info.tileSize() + " (use GenerationEngine.preprocess)");
            }
            tiles.add(image.tileCount());
        }
        List<PendingPage.Prompt> prompts = new ArrayList<>();
        List<GenerationHandle> handles = new ArrayList<>();
        for (GenerationRequest request : page.prompts()) {
            int[] ids;
            try {
                ids = promptIds(request.prompt(), tiles);
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException(e.getMessage());
            }
            checkFits(ids.length, request.maxNewTokens());
            GenerationHandle handle = new GenerationHandle();
            handles.add(handle);
            prompts.add(new PendingPage.Prompt(handle, request, ids,
                    request.stopTokens() == null ? defaultStops : ids(request.stopTokens()),
                    request.repetitionGuard() == null ? config.repetitionGuard() : request.repetitionGuard()));
        }
        scheduler.add(new PendingPage(page.images(), List.copyOf(prompts), now));
        return List.copyOf(handles);
    }

    private void checkFits(int promptTokens, int maxNewTokens) {
        long needed = (long) promptTokens + maxNewTokens;
        if (needed > model.info.maxPositions()) {
            throw new RequestRejectedException("the prompt (" + promptTokens + " tokens) plus maxNewTokens ("
                    + maxNewTokens + ") needs " + needed + " positions, more than the model's "
                    + model.info.maxPositions() + " (maxPositions in conversion.json)");
        }
        if (needed > config.slotCapacity()) {
            throw new RequestRejectedException("the prompt (" + promptTokens + " tokens) plus maxNewTokens ("
                    + maxNewTokens + ") needs " + needed + " KV positions, more than one slot holds ("
                    + config.slotCapacity() + " = kvTokenBudget " + config.kvTokenBudget() + " / maxBatch "
                    + config.maxBatch() + ")");
        }
    }

    /** Submits a page and waits for all its results. */
    public List<GenerationResult> generate(PageRequest page) {
        return submit(page).stream().map(GenerationHandle::join).toList();
    }

    private void loop() {
        try {
            while (!scheduler.closed()) {
                dropCancelled();
                admit();
                deliver();
                if (slots.inUse() == 0) {
                    if (!scheduler.awaitWork()) {
                        break;
                    }
                    continue;
                }
                step();
                deliver();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "engine loop failed", e);
            scheduler.close();
        } finally {
            CancellationException closed = new CancellationException("the engine closed");
            for (Sequence sequence : active) {
                if (sequence != null) {
                    fail(sequence, closed);
                }
            }
            scheduler.close();
            for (PendingPage page : scheduler.drain()) {
                page.prompts().forEach(prompt -> fail(prompt, closed));
            }
            deliver();
            release();
        }
    }

    private void admit() {
        if (!config.continuousBatching() && slots.inUse() > 0) {
            return;
        }
        PendingPage page;
        while ((page = scheduler.next(slots.free())) != null) {
            admit(page);
        }
    }

    private void admit(PendingPage page) {
        long admitted = System.nanoTime();
        List<PendingPage.Prompt> live = new ArrayList<>();
        for (PendingPage.Prompt prompt : page.prompts()) {
            if (prompt.handle().cancelled()) {
                complete(prompt, new GenerationResult(prompt.ids(), new int[0], new float[0], "",
                        FinishReason.CANCELLED, 0, new Timings(ms(admitted - page.submittedNanos()), 0, 0, 0, 0, 0,
                                ms(admitted - page.submittedNanos()))));
            } else {
                live.add(prompt);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<Sequence> started = new ArrayList<>();
        int[] taken = new int[live.size()];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = slots.take();
        }
        try {
            long start = System.nanoTime();
            steps.encode(page.images());
            long vision = System.nanoTime() - start;
            stats.page(live.size(), page.images().stream().mapToInt(PixelTiles::tileCount).sum(), vision);
            int prefix = config.prefixReuse() && live.size() > 1 ? sharedPrefix(live) : 0;
            long prefixNanos = 0;
            if (prefix > 0) {
                start = System.nanoTime();
                steps.prefill(taken[0], live.getFirst().ids(), 0, prefix);
                for (int i = 1; i < taken.length; i++) {
                    steps.copyPrefix(taken[0], taken[i], prefix);
                }
                prefixNanos = System.nanoTime() - start;
                stats.prefill(prefix, prefixNanos, prefix * (live.size() - 1));
            }
            for (int i = 0; i < live.size(); i++) {
                PendingPage.Prompt prompt = live.get(i);
                Sequence sequence = new Sequence(prompt, taken[i], page.submittedNanos(), admitted, vision,
                        prefixNanos, prefix);
                active[taken[i]] = sequence;
                started.add(sequence);
                start = System.nanoTime();
                FloatBuffer logits = steps.prefill(taken[i], prompt.ids(), prefix, prompt.ids().length);
                long own = System.nanoTime() - start;
                sequence.prefilled(own);
                stats.prefill(prompt.ids().length - prefix, own, 0);
                sample(sequence, logits, 0);
            }
        } catch (OrtException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a page failed in prefill", e);
            for (int i = 0; i < taken.length; i++) {
                if (active[taken[i]] != null) {
                    fail(active[taken[i]], e);
                } else if (i >= started.size()) {
                    slots.release(taken[i]);
                    fail(live.get(i), e);
                }
            }
        }
    }

    /** Longest common prefix of the prompts' ids, leaving each at least one token of its own to prefill. */
    private static int sharedPrefix(List<PendingPage.Prompt> prompts) {
        int[] first = prompts.getFirst().ids();
        int length = first.length - 1;
        for (PendingPage.Prompt prompt : prompts) {
            int[] ids = prompt.ids();
            length = Math.min(length, ids.length - 1);
            for (int i = 0; i < length; i++) {
                if (ids[i] != first[i]) {
                    length = i;
                    break;
                }
            }
        }
        return Math.max(length, 0);
    }

    private void step() {
        int batch = slots.end();
        long start = System.nanoTime();
        steps.clear(batch);
        int rows = 0;
        for (int slot = 0; slot < batch; slot++) {
            Sequence sequence = active[slot];
            if (sequence != null) {
                steps.set(slot, sequence.lastToken(), sequence.cached());
                rows++;
            }
        }
        try {
            steps.decode(batch);
        } catch (OrtException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a decode step failed", e);
            for (int slot = 0; slot < batch; slot++) {
                if (active[slot] != null) {
                    fail(active[slot], e);
                }
            }
            return;
        }
        FloatBuffer logits = steps.logits();
        int vocab = model.info.vocab();
        for (int slot = 0; slot < batch; slot++) {
            Sequence sequence = active[slot];
            if (sequence != null) {
                sequence.stepped();
                sample(sequence, logits, slot * vocab);
            }
        }
        stats.decode(rows, batch, System.nanoTime() - start);
    }

    private void sample(Sequence sequence, FloatBuffer logits, int offset) {
        GenerationRequest request = sequence.prompt.request();
        int token = sampler.next(logits, offset, request.sampling(), sequence.random);
        float logprob = sampler.logprob();
        FinishReason reason = sequence.accept(token, logprob, System.nanoTime());
        stats.generated();
        try {
            request.listener().onToken(sequence.count() - 1, token, logprob);
        } catch (RuntimeException e) {
            fail(sequence, e);
            return;
        }
        if (reason != null) {
            finish(sequence, reason);
        }
    }

    private void dropCancelled() {
        for (Sequence sequence : active) {
            if (sequence != null && sequence.prompt.handle().cancelled()) {
                finish(sequence, FinishReason.CANCELLED);
            }
        }
    }

    private void finish(Sequence sequence, FinishReason reason) {
        free(sequence);
        int[] tokens = sequence.tokens();
        String text = tokenizer.decode(tokens);
        complete(sequence.prompt, new GenerationResult(sequence.prompt.ids(), tokens, sequence.logprobs(), text,
                reason, sequence.reusedPrefixTokens, sequence.timings(System.nanoTime())));
    }

    private void complete(PendingPage.Prompt prompt, GenerationResult result) {
        completions.add(new Completion(prompt, result, null));
    }

    private void fail(Sequence sequence, Throwable error) {
        free(sequence);
        fail(sequence.prompt, error);
    }

    private void fail(PendingPage.Prompt prompt, Throwable error) {
        completions.add(new Completion(prompt, null, error));
    }

    /**
     * Calls the listeners and completes the futures of the requests that ended in this iteration, after its
     * counters are updated, so that a caller woken by its result sees statistics that include it.
     */
    private void deliver() {
        for (Completion completion : completions) {
            GenerationListener listener = completion.prompt().request().listener();
            GenerationHandle handle = completion.prompt().handle();
            try {
                if (completion.error() == null) {
                    listener.onFinish(completion.result());
                } else {
                    listener.onError(completion.error());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a listener failed at the end of a request", e);
            }
            if (completion.error() == null) {
                handle.future().complete(completion.result());
            } else {
                handle.future().completeExceptionally(completion.error());
            }
        }
        completions.clear();
    }

    private void free(Sequence sequence) {
        if (active[sequence.slot] == sequence) {
            active[sequence.slot] = null;
            slots.release(sequence.slot);
        }
    }

    private void release() {
        steps.close();
        memory.close();
        synchronized (tokenizer) {
            tokenizerClosed = true;
            tokenizer.close();
        }
        if (ownsModel) {
            try {
                model.close();
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the ONNX sessions failed", e);
            }
        }
    }

    /**
     * Stops the engine: requests still queued or running complete exceptionally with a
     * {@link CancellationException}, then the sessions, KV cache and buffers are released. Waits for the current
     * step to end, unless called from a listener (on the engine thread), where the release follows the callback.
     */
    @Override
    public void close() {
        scheduler.close();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The image preprocessing a model's config asks for (what {@link #preprocess} does), without an engine. */
    public static ImagePreprocessor imagePreprocessor(ModelConfig config, long maxPixels) {
        return new ImagePreprocessor(preprocessConfig(config, maxPixels));
    }

    private static ImagePreprocessConfig preprocessConfig(ModelConfig config, long maxPixels) {
        boolean dynamic = config.dynamicImageSize();
        return new ImagePreprocessConfig(config.tileSize(), dynamic ? config.minDynamicPatch() : 1,
                dynamic ? config.maxDynamicPatch() : 1, dynamic && config.useThumbnail(), maxPixels);
    }

    private static int[] ids(Set<Integer> tokens) {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
