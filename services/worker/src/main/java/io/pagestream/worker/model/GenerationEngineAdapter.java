package io.pagestream.worker.model;

import io.pagestream.internvl.engine.EngineStats;
import io.pagestream.internvl.engine.GenerationEngine;
import io.pagestream.internvl.engine.GenerationHandle;
import io.pagestream.internvl.engine.PageRequest;
import io.pagestream.internvl.image.PixelTiles;
import java.awt.image.BufferedImage;
import java.util.List;

/** {@link PageEngine} over the runtime's {@link GenerationEngine}. */
public final class GenerationEngineAdapter implements PageEngine {
    private final GenerationEngine engine;

    public GenerationEngineAdapter(GenerationEngine engine) {
        this.engine = engine;
    }

    @Override
    public PixelTiles preprocess(BufferedImage image) {
        return engine.preprocess(image);
    }

    @Override
    public int[] promptIds(String prompt, int tiles) {
        return engine.promptIds(prompt, List.of(tiles));
    }

    @Override
    public List<PromptRun> submit(PageRequest page) {
        return engine.submit(page).stream().map(GenerationEngineAdapter::run).toList();
    }

    private static PromptRun run(GenerationHandle handle) {
        return new PromptRun(handle.result(), handle::cancel);
    }

    @Override
    public int slots() {
        return engine.config().maxBatch();
    }

    @Override
    public int slotTokens() {
        return engine.config().slotCapacity();
    }

    @Override
    public int tokensPerTile() {
        return engine.model().tokensPerTile();
    }

    @Override
    public long kvCacheBytes() {
        return engine.kvCacheBytes();
    }

    @Override
    public EngineStats stats() {
        return engine.stats();
    }

    @Override
    public void close() {
        engine.close();
    }
}
