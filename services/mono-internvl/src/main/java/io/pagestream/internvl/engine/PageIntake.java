package io.pagestream.internvl.engine;

import io.pagestream.internvl.image.PixelTiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a submitted page into a {@link PendingPage}, on the submitting thread: each prompt tokenized with the chat
 * template, its stop tokens and repetition guard resolved, and every limit that can be checked without the model
 * checked, so that a request that cannot run is refused at submit rather than failing in the loop.
 */
final class PageIntake {
    private final EngineConfig config;
    private final ModelInfo info;
    private final EngineResources resources;
    private final int[] defaultStops;

    PageIntake(EngineConfig config, EngineResources resources) {
        this.config = config;
        this.info = resources.model.info;
        this.resources = resources;
        this.defaultStops = ids(resources.stopTokenIds());
    }

    /**
     * @throws RequestRejectedException when a prompt cannot fit (KV slot, model positions), its image placeholders
     *                                  do not match the images, an image has tiles of another size than the model's,
     *                                  or the page has more prompts than slots
     * @throws IllegalStateException    when the engine is closed
     */
    PendingPage accept(PageRequest page, long submittedNanos) {
        if (page.prompts().size() > config.maxBatch()) {
            throw new RequestRejectedException("the page has " + page.prompts().size() + " prompts; the engine runs "
                    + "at most maxBatch = " + config.maxBatch() + " at once and starts a page's prompts together");
        }
        List<Integer> tiles = new ArrayList<>();
        for (PixelTiles image : page.images()) {
            if (image.tileSize() != info.tileSize()) {
                throw new RequestRejectedException("an image has " + image.tileSize() + "-pixel tiles; the model "
                        + "takes " + info.tileSize() + " (use GenerationEngine.preprocess)");
            }
            tiles.add(image.tileCount());
        }
        List<PendingPage.Prompt> prompts = new ArrayList<>();
        for (GenerationRequest request : page.prompts()) {
            int[] ids;
            try {
                ids = resources.promptIds(request.prompt(), tiles);
            } catch (IllegalArgumentException e) {
                throw new RequestRejectedException(e.getMessage());
            }
            checkFits(ids.length, request.maxNewTokens());
            prompts.add(new PendingPage.Prompt(
                    new GenerationHandle(),
                    request,
                    ids,
                    request.stopTokens() == null ? defaultStops : ids(request.stopTokens()),
                    request.repetitionGuard() == null ? config.repetitionGuard() : request.repetitionGuard()));
        }
        return new PendingPage(page.images(), List.copyOf(prompts), submittedNanos);
    }

    private void checkFits(int promptTokens, int maxNewTokens) {
        long needed = (long) promptTokens + maxNewTokens;
        if (needed > info.maxPositions()) {
            throw new RequestRejectedException("the prompt (" + promptTokens + " tokens) plus maxNewTokens ("
                    + maxNewTokens + ") needs " + needed + " positions, more than the model's "
                    + info.maxPositions() + " (maxPositions in conversion.json)");
        }
        if (needed > config.slotCapacity()) {
            throw new RequestRejectedException("the prompt (" + promptTokens + " tokens) plus maxNewTokens ("
                    + maxNewTokens + ") needs " + needed + " KV positions, more than one slot holds ("
                    + config.slotCapacity() + " = kvTokenBudget " + config.kvTokenBudget() + " / maxBatch "
                    + config.maxBatch() + ")");
        }
    }

    private static int[] ids(Set<Integer> tokens) {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
