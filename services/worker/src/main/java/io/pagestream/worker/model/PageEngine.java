package io.pagestream.worker.model;

import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.image.PixelTiles;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the worker needs of the generation engine. One narrow seam, so the pipeline is tested against a scripted
 * engine (out-of-memory, a failing page, a hung page) and a change in the engine's API touches one adapter.
 */
public interface PageEngine extends AutoCloseable {

    /** Tiles an image for the model. Thread-safe. */
    PixelTiles preprocess(BufferedImage image);

    /** The prompt's token ids for one image of {@code tiles} tiles, as the engine will build them. Thread-safe. */
    int[] promptIds(String prompt, int tiles);

    /** Queues a page; one run per prompt, in order. Thread-safe. */
    List<PromptRun> submit(PageRequest page);

    /** Prompts decoded together: the engine's KV slots. */
    int slots();

    /** KV positions per slot: a prompt plus its new tokens must fit. */
    int slotTokens();

    /** Visual tokens per image tile. */
    int tokensPerTile();

    long kvCacheBytes();

    EngineStats stats();

    @Override
    void close();

    /** One submitted prompt: its result (exceptional on a model error) and a way to stop it early. */
    record PromptRun(CompletableFuture<GenerationResult> result, Runnable cancel) {}
}
