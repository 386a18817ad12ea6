package io.pagestream.worker.pipeline;

import io.pagestream.internvl.image.PixelTiles;
import io.pagestream.schema.PageImage;
import io.pagestream.worker.batch.Batchable;
import io.pagestream.worker.model.PromptSpec;
import io.pagestream.worker.output.UnaskedQuestion;
import java.util.List;

/**
 * A decoded, tiled page with its prompts, ready for the engine.
 *
 * @param prefillTokens tiles × tokens-per-tile plus the prompts' text tokens
 * @param attempt       1 for the first try
 * @param isolated      runs in a batch of its own (a retry after its batch failed, or a page a worker died on)
 * @param unasked       questions that cannot be put to the model: they fail alone, answered as no-answers
 */
public record PreparedPage(
        PageTask task,
        PageImage page,
        PixelTiles tiles,
        List<PromptSpec> prompts,
        int prefillTokens,
        int attempt,
        boolean isolated,
        List<UnaskedQuestion> unasked)
        implements Batchable {

    public PreparedPage {
        prompts = List.copyOf(prompts);
        unasked = List.copyOf(unasked);
    }

    @Override
    public int promptCount() {
        return prompts.size();
    }

    @Override
    public int tokens() {
        return prefillTokens;
    }

    /** The next try; alone when asked, and always for a page a worker process died on. */
    public PreparedPage retry(boolean alone) {
        return new PreparedPage(
                task, page, tiles, prompts, prefillTokens, attempt + 1, alone || task.deaths() > 0, unasked);
    }
}
