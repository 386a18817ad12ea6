package io.pagestream.assembler.output;

import io.pagestream.assembler.state.PageResult;
import io.pagestream.schema.PageStructure;

/**
 * One page as the outputs show it: its text and structure, or why there is none.
 *
 * @param text      the page's text, or null when it failed or is missing
 * @param failure   the failure's reason code, {@value #MISSING} for a page without any result when its document was
 *                  closed, or null when the page has its text
 * @param structure the page as markdown, blocks and tables; null when the page has no text, or its result carried no
 *                  structure (a worker from before structured output)
 */
public record PageOutcome(
        int pageIndex, String text, double confidence, int width, int height, String failure, PageStructure structure) {
    public static final String MISSING = "MISSING";

    public static PageOutcome of(int pageIndex, PageResult result) {
        if (result != null && result.ocr() != null) {
            PageResult.Text ocr = result.ocr();
            return new PageOutcome(
                    pageIndex, ocr.text(), ocr.confidence(), ocr.width(), ocr.height(), null, ocr.structure());
        }
        String failure =
                result != null && result.failure() != null ? result.failure().reasonCode() : MISSING;
        return new PageOutcome(pageIndex, null, 0, 0, 0, failure, null);
    }

    /** The page's markdown: its structure's, or its text when it has no structure; null when it has no text. */
    public String markdown() {
        if (text == null) {
            return null;
        }
        return structure != null ? structure.getMarkdown() : text;
    }
}
