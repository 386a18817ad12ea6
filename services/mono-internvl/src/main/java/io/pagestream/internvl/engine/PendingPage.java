package io.pagestream.internvl.engine;

import io.pagestream.internvl.image.PixelTiles;
import java.util.List;
import java.util.Set;

/** A page accepted by {@link GenerationEngine#submit}, waiting for slots: its prompts already tokenized and checked. */
record PendingPage(List<PixelTiles> images, List<Prompt> prompts, long submittedNanos) {

    /**
     * @param ids        the prompt's token ids
     * @param stopTokens resolved: the request's, or the model's
     * @param guard      resolved: the request's, or the engine's
     */
    record Prompt(GenerationHandle handle, GenerationRequest request, int[] ids, Set<Integer> stopTokens,
            RepetitionGuard guard) {
    }
}
