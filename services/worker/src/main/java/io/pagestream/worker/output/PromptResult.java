package io.pagestream.worker.output;

import io.pagestream.internvl.engine.GenerationResult;
import io.pagestream.worker.model.PromptSpec;

/**
 * A prompt of a page with what the engine made of it.
 *
 * @param chunk which engine request of the page ran it: a page with more prompts than the engine has slots is
 *              split, and each part encodes the image and prefills its prefix once
 */
public record PromptResult(PromptSpec spec, GenerationResult result, int chunk) {}
