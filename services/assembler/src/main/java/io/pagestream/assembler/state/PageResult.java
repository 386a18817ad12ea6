package io.pagestream.assembler.state;

import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.PageAnswers;
import io.pagestream.schema.PageFailure;
import io.pagestream.schema.PageOcr;
import io.pagestream.schema.PageStructure;
import java.util.List;

/**
 * Everything that arrived for one page, kept under its own key ({@code documentId/pageIndex}) so that no single state
 * value grows with the document. Each part is set once: a re-delivered part leaves the page unchanged.
 *
 * @param ocr     the page's text, or null until it arrives
 * @param answers the page's answers, or null until they arrive
 * @param failure why the page could not be processed, or null
 */
public record PageResult(int pageIndex, Text ocr, List<Answer> answers, Failure failure) {

    /**
     * @param text      the text as the model wrote it
     * @param structure the page parsed into markdown, blocks and tables, or null when its result carried none (a
     *                  worker from before structured output)
     */
    public record Text(String text, double confidence, int width, int height, PageStructure structure) {}

    /**
     * @param noAnswer the page does not answer the question; such an answer is shown but never the best
     * @param evidence where on the page the answer was read, or null
     */
    public record Answer(int questionIndex, String text, double confidence, boolean noAnswer, BoxPlacement evidence) {}

    public record Failure(String reasonCode, String message) {}

    public PageResult {
        answers = answers == null ? null : List.copyOf(answers);
    }

    public static PageResult empty(int pageIndex) {
        return new PageResult(pageIndex, null, null, null);
    }

    public PageResult withOcr(PageOcr page) {
        if (ocr != null) {
            return this;
        }
        return new PageResult(
                pageIndex,
                new Text(
                        page.getText(),
                        confidence(page.getConfidence()),
                        page.getWidth(),
                        page.getHeight(),
                        page.getStructure()),
                answers,
                failure);
    }

    public PageResult withAnswers(PageAnswers page) {
        if (answers != null) {
            return this;
        }
        return new PageResult(
                pageIndex,
                ocr,
                page.getAnswers().stream()
                        .map(a -> new Answer(
                                a.getQuestionIndex(),
                                a.getText(),
                                confidence(a.getConfidence()),
                                a.getNoAnswer(),
                                a.getEvidence()))
                        .toList(),
                failure);
    }

    public PageResult withFailure(PageFailure page) {
        if (failure != null) {
            return this;
        }
        return new PageResult(pageIndex, ocr, answers, new Failure(page.getReasonCode(), page.getMessage()));
    }

    /**
     * Done when it failed, or when every requested task has its result (and at least one result is in, which only
     * matters for a request naming no task this assembler knows).
     */
    public boolean done(RequestSummary request) {
        if (failure != null) {
            return true;
        }
        boolean requestedIn = (!request.ocr() || ocr != null) && (!request.qa() || answers != null);
        return requestedIn && (ocr != null || answers != null);
    }

    public boolean failed() {
        return failure != null;
    }

    /** Confidences feed a maximum: clamp them to [0, 1] and read NaN as 0 so one bad value cannot win or poison it. */
    private static double confidence(double value) {
        return Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    }
}
