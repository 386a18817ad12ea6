package io.pagestream.internvl.engine;

import io.pagestream.internvl.image.PixelTiles;
import java.util.List;

/**
 * A page: its images, encoded once, and the prompts asked about them (typically OCR plus N questions). With prefix
 * reuse on, the prompts also share one prefill of their common prefix: the system prompt and the image tokens.
 *
 * @param images  preprocessed images ({@link GenerationEngine#preprocess}); empty for a text-only page
 * @param prompts at least one
 */
public record PageRequest(List<PixelTiles> images, List<GenerationRequest> prompts) {
    public PageRequest {
        images = List.copyOf(images);
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("a page needs at least one prompt");
        }
    }

    public static PageRequest of(PixelTiles image, GenerationRequest... prompts) {
        return new PageRequest(image == null ? List.of() : List.of(image), List.of(prompts));
    }

    public static PageRequest text(GenerationRequest... prompts) {
        return new PageRequest(List.of(), List.of(prompts));
    }
}
