package io.pagestream.worker.output;

/**
 * A question of a page that was not put to the model because it cannot be (too long for a KV slot with the page's
 * image, or spelling the model's image tokens). It fails alone: the page's OCR and other questions go on, and its
 * answer is written as a no-answer with no text, no confidence and no generated token.
 */
public record UnaskedQuestion(int questionIndex, String question, Failure failure) {}
