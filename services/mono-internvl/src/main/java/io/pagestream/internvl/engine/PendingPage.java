package io.pagestream.internvl.engine;

import io.pagestream.internvl.image.PixelTiles;
import java.util.List;

/** A page accepted by {@link GenerationEngine#submit}, waiting for slots: its prompts already tokenized and checked. */
record PendingPage(List<PixelTiles> images, List<Prompt> prompts, long submittedNanos) {

    /**
     * @param ids        the prompt's token ids
     * @param stopTokens resolved: the request's, or the model's; an array so that the per-token check boxes nothing
     * @param guard      resolved: the request's, or the engine's
     */
    record Prompt(
            GenerationHandle handle, GenerationRequest request, int[] ids, int[] stopTokens, RepetitionGuard guard) {

        boolean isStop(int token) {
            for (int stop : stopTokens) {
                if (stop == token) {
                    return true;
                }
            }
            return false;
        }
    }
}
