package io.pagestream.worker.testing;

import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.Timings;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.image.TileGrid;
import io.pagestream.worker.model.PageEngine;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An engine for pipeline tests that behaves like the real one where it matters and fails on cue. Prompts run in
 * "steps": the engine thread takes everything submitted within a short window and runs it together, as a batched
 * decode step would. A prompt containing {@link #POISON} fails its whole step (like a failing decode step fails every
 * active sequence); a step with more than {@code memoryPrompts} prompts fails with ONNX Runtime's out-of-memory
 * message; a prompt containing {@link #HANG} never finishes unless cancelled; a prompt containing {@link #HALT} ends
 * the JVM on the spot with status {@link #HALT_STATUS}, no shutdown hook run, as a crash in native code would. Output text is a deterministic
 * function of the prompt and the page, so re-processing writes the same results: "answer to <prompt>", unless a
 * {@link Script} gives the raw output the model would have written for that prompt on that page.
 */
public final class ScriptedEngine implements PageEngine {
    public static final String POISON = "poison";
    public static final String HANG = "hang";
    public static final String HALT = "halt-the-jvm";
    /** SIGSEGV's exit status, as a shell reports a process killed by it. */
    public static final int HALT_STATUS = 139;

    private static final long STEP_WINDOW_MS = 15;

    private final int slots;
    private final int slotTokens;
    private final int memoryPrompts;
    private final long stepMillis;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Integer> stepSizes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile Script script = (prompt, imageWidth) -> null;

    private record Pending(
            GenerationRequest request,
            int imageWidth,
            int[] promptIds,
            CompletableFuture<GenerationResult> result,
            AtomicBoolean cancelled) {}

    /**
     * A scripted output: the text as the tokenizer would decode it (grounding tags included), every generated token
     * at log-probability {@code logprob}, so its confidence is {@code exp(logprob)}.
     */
    public record Reply(String text, float logprob) {}

    /** The raw output for a prompt on a page, told apart by the width of its image; null for the default output. */
    @FunctionalInterface
    public interface Script {
        Reply reply(String prompt, int imageWidth);
    }

    /**
     * @param memoryPrompts most prompts one step holds before "running out of memory"
     * @param stepMillis    how long a step takes, so that tests can observe work in flight
     */
    public ScriptedEngine(int slots, int slotTokens, int memoryPrompts, long stepMillis) {
        this.slots = slots;
        this.slotTokens = slotTokens;
        this.memoryPrompts = memoryPrompts;
        this.stepMillis = stepMillis;
        this.thread = new Thread(this::loop, "scripted-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /** Outputs from now on come from {@code script} where it gives one. */
    public ScriptedEngine script(Script script) {
        this.script = script;
        return this;
    }

    /** Prompts per step, in order: what the engine saw batched together. */
    public List<Integer> stepSizes() {
        return List.copyOf(stepSizes);
    }

    @Override
    public PixelTiles preprocess(BufferedImage image) {
        // The image's width travels in the tiles, so a script can tell pages apart.
        float[] values = new float[12];
        values[0] = image.getWidth();
        return new PixelTiles(new TileGrid(1, 1), false, 1, 2, values);
    }

    @Override
    public int[] promptIds(String prompt, int tiles) {
        return new int[tiles * tokensPerTile() + 4 + prompt.length() / 8];
    }

    @Override
    public List<PromptRun> submit(PageRequest page) {
        if (closed.get()) {
            throw new IllegalStateException("the engine is closed");
        }
        List<PromptRun> runs = new ArrayList<>();
        int imageWidth = (int) page.images().getFirst().values()[0];
        for (GenerationRequest request : page.prompts()) {
            Pending pending = new Pending(
                    request,
                    imageWidth,
                    promptIds(request.prompt(), 1),
                    new CompletableFuture<>(),
                    new AtomicBoolean());
            queue.add(pending);
            runs.add(new PromptRun(pending.result(), () -> pending.cancelled().set(true)));
        }
        return runs;
    }

    private void loop() {
        try {
            while (!closed.get()) {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                Thread.sleep(STEP_WINDOW_MS);
                List<Pending> step = new ArrayList<>(List.of(first));
                queue.drainTo(step);
                step(step);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void step(List<Pending> step) throws InterruptedException {
        List<Pending> live = new ArrayList<>();
        for (Pending p : step) {
            if (p.cancelled().get()) {
                p.result().complete(result(p, FinishReason.CANCELLED));
            } else {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        stepSizes.add(live.size());
        Thread.sleep(stepMillis);
        if (live.stream().anyMatch(p -> p.request().prompt().contains(HALT))) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        RuntimeException failure = null;
        if (live.size() > memoryPrompts) {
            failure = new IllegalStateException("Error code - ORT_RUNTIME_EXCEPTION - message: Failed to allocate "
                    + "memory for requested buffer of size 1073741824");
        } else if (live.stream().anyMatch(p -> p.request().prompt().contains(POISON))) {
            failure = new IllegalStateException("decode step failed: a poisoned prompt");
        }
        for (Pending p : live) {
            if (failure != null) {
                p.result().completeExceptionally(failure);
            } else if (p.request().prompt().contains(HANG)) {
                queue.add(p);
            } else {
                Reply reply = script.reply(p.request().prompt(), p.imageWidth());
                p.result()
                        .complete(
                                reply == null
                                        ? result(p, FinishReason.STOP)
                                        : result(p.promptIds(), reply, FinishReason.STOP));
            }
        }
    }

    /** A result decided by the prompt alone: text "answer to <prompt>", a few tokens with log-probability −0.1. */
    private static GenerationResult result(Pending p, FinishReason reason) {
        String text = reason == FinishReason.CANCELLED
                ? ""
                : "answer to " + p.request().prompt();
        int count = reason == FinishReason.CANCELLED ? 0 : 1 + text.getBytes(StandardCharsets.UTF_8).length % 5;
        float[] logprobs = new float[count];
        Arrays.fill(logprobs, -0.1f);
        return new GenerationResult(
                p.promptIds(), new int[count], logprobs, text, reason, 0, new Timings(0, 1, 1, 2, 3, 4, 5));
    }

    /**
     * A result with {@code reply}'s text: a token per four characters plus the stop token (left out of the
     * confidence), each at the reply's log-probability.
     */
    public static GenerationResult result(int[] promptIds, Reply reply, FinishReason reason) {
        float[] logprobs = new float[reply.text().length() / 4 + 2];
        Arrays.fill(logprobs, reply.logprob());
        return new GenerationResult(
                promptIds,
                new int[logprobs.length],
                logprobs,
                reply.text(),
                reason,
                0,
                new Timings(0, 1, 1, 2, 3, 4, 5));
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int slotTokens() {
        return slotTokens;
    }

    @Override
    public int tokensPerTile() {
        return 64;
    }

    @Override
    public long kvCacheBytes() {
        return 0;
    }

    @Override
    public EngineStats stats() {
        return new EngineStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            thread.interrupt();
            Pending p;
            while ((p = queue.poll()) != null) {
                p.result().completeExceptionally(new java.util.concurrent.CancellationException("the engine closed"));
            }
        }
    }
}
