package io.pagestream.worker.bench;

import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.FinishReason;
import io.pagestream.internvl.engine.GenerationRequest;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.engine.Timings;
import io.pagestream.internvl.image.ImagePreprocessor;
import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.internvl.tokenizer.ChatPrompt;
import io.pagestream.worker.model.PageEngine;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A zero-cost engine for the host-side feed benchmark: what the worker's decode stage asks of the engine is real
 * (tiling by the model's own {@link ImagePreprocessor}, prompt ids from a real SentencePiece tokenizer through the
 * chat template), and inference is free (every prompt completes at submission with a one-token answer).
 *
 * <p>The scripted test double ({@code testing.ScriptedEngine}) cannot stand in here: it fakes tiling (a 1-tile array
 * of 12 floats, so the host's main cost would vanish) and batches submissions in 15 ms windows on one thread.
 */
final class InstantEngine implements PageEngine {
    private final ImagePreprocessor preprocessor;
    private final ChatPrompt chat;
    private final int tokensPerTile;
    private final int slots;
    private final int slotTokens;
    private final AtomicLong prompts = new AtomicLong();

    InstantEngine(ImagePreprocessor preprocessor, ChatPrompt chat, int tokensPerTile, int slots, int slotTokens) {
        this.preprocessor = preprocessor;
        this.chat = chat;
        this.tokensPerTile = tokensPerTile;
        this.slots = slots;
        this.slotTokens = slotTokens;
    }

    @Override
    public PixelTiles preprocess(BufferedImage image) {
        return preprocessor.preprocess(image);
    }

    @Override
    public int[] promptIds(String prompt, int tiles) {
        return chat.build(prompt, List.of(tiles)).ids();
    }

    @Override
    public List<PromptRun> submit(PageRequest page) {
        List<PromptRun> runs = new ArrayList<>();
        for (GenerationRequest request : page.prompts()) {
            prompts.incrementAndGet();
            GenerationResult result = new GenerationResult(
                    new int[0],
                    new int[] {2},
                    new float[] {-0.01f},
                    "ok",
                    FinishReason.STOP,
                    0,
                    new Timings(0, 0, 0, 0, 0, 0, 0));
            runs.add(new PromptRun(CompletableFuture.completedFuture(result), () -> {}));
        }
        return runs;
    }

    long promptsSubmitted() {
        return prompts.get();
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
        return tokensPerTile;
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
    public void close() {}
}
