package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;

/**
 * One page as the outputs show it: its text, or why there is none.
 *
 * @param text    the page's text, or null when it failed or is missing
 * @param failure the failure's reason code, {@value #MISSING} for a page without any result when its document was
 *                closed, or null when the page has its text
 */
public record PageOutcome(int pageIndex, String text, double confidence, int width, int height, String failure) {
    public static final String MISSING = "MISSING";

    public static PageOutcome of(int pageIndex, PageResult result) {
        if (result != null && result.ocr() != null) {
            PageResult.Text ocr = result.ocr();
            return new PageOutcome(pageIndex, ocr.text(), ocr.confidence(), ocr.width(), ocr.height(), null);
        }
        String failure = result != null && result.failure() != null ? result.failure().reasonCode() : MISSING;
        return new PageOutcome(pageIndex, null, 0, 0, 0, failure);
    }
}
