package io.pagestream.worker.model;

import io.pagestream.internvl.engine.GenerationRequest;

/**
 * One prompt asked of a page: the OCR instruction, or one of the document's questions.
 *
 * @param questionIndex the question's index in the page's questions; -1 for OCR
 * @param question      the question as asked; null for OCR
 */
public record PromptSpec(Kind kind, int questionIndex, String question, GenerationRequest request) {

    public enum Kind {
        OCR,
        QUESTION
    }

    public static PromptSpec ocr(GenerationRequest request) {
        return new PromptSpec(Kind.OCR, -1, null, request);
    }

    public static PromptSpec question(int index, String question, GenerationRequest request) {
        return new PromptSpec(Kind.QUESTION, index, question, request);
    }

    public PromptSpec withMaxNewTokens(int maxNewTokens) {
        GenerationRequest r = request;
        return new PromptSpec(
                kind,
                questionIndex,
                question,
                new GenerationRequest(
                        r.prompt(), maxNewTokens, r.sampling(), r.stopTokens(), r.repetitionGuard(), r.listener()));
    }
}
