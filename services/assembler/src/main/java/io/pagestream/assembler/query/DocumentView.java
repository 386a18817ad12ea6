package io.pagestream.assembler.query;

import io.pagestream.assembler.output.PageOutcome;
import io.pagestream.assembler.output.QuestionOutcome;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /v1/documents/{id}}: where a document stands and, once it is closed, what it says. */
@Schema(description = "Status, progress and (once closed) results of a document")
public record DocumentView(
        String documentId,
        @Schema(description = "PROCESSING until every page is done or the timeout closes the document") State state,
        @Schema(description = "Pages of the document; null while its request has not reached the assembler")
                Integer pageCount,
        @Schema(description = "Pages with every requested result or a failure") int pagesDone,
        @Schema(description = "Pages that failed (they count as done)") List<Integer> failedPages,
        @Schema(description = "Pages not done: still to come while PROCESSING, never came when INCOMPLETE")
                List<Integer> missingPages,
        @Schema(description = "When ingest accepted the document; null while its request has not arrived")
                Instant submittedAt,
        @Schema(description = "When the assembler last received something new for the document") Instant lastActivityAt,
        @Schema(description = "When the document was closed; null while PROCESSING") Instant closedAt,
        @Schema(
                        description = "The document's OCR and answers once it is closed (partial when INCOMPLETE); "
                                + "null while PROCESSING or when not asked for")
                Results results) {

    public enum State {
        PROCESSING,
        COMPLETED,
        INCOMPLETE
    }

    /**
     * @param pages     every page in order, with its text and structure or its failure (MISSING: no result came);
     *                  null when OCR was not requested
     * @param fullText  the text of the pages that have one, separated by form feeds; null when OCR was not requested
     * @param markdown  the markdown of the same pages, as in {@code DocumentOcr.markdown}; null when OCR was not
     *                  requested
     * @param questions per question, the best answer over the document and every page's candidate; null when QA was
     *                  not requested
     */
    @Schema(description = "What a closed document says")
    public record Results(
            @Schema(
                            description =
                                    "Every page in order: pageIndex, text, confidence, width, height, failure (its "
                                            + "reason code, MISSING when no result came, null when the page has its text) and structure "
                                            + "(the page as markdown, layout blocks with boxes in grid, pixel and point units, and tables, "
                                            + "with the field names of the Avro PageStructure; null for a page without text or from a "
                                            + "worker that gave none); null when OCR was not requested")
                    List<PageOutcome> pages,
            @Schema(
                            description =
                                    "The text of the pages that have one, in page order, separated by form feeds; "
                                            + "null when OCR was not requested")
                    String fullText,
            @Schema(
                            description =
                                    "The markdown of the pages that have text (a page's structure markdown, or its "
                                            + "text when it has no structure), each preceded by a line <!-- page N --> (N from 1), pages "
                                            + "separated by a blank line; null when OCR was not requested")
                    String markdown,
            @Schema(
                            description =
                                    "Per question in request order: best (the highest-confidence candidate that is "
                                            + "not a no-answer, the earlier page winning a tie; null when no page answers), candidates "
                                            + "(every page's answer in page order, each with pageIndex, text, confidence, noAnswer and "
                                            + "evidence: a box on its page or null) and noAnswer (true when best is null); null when QA was "
                                            + "not requested")
                    List<QuestionOutcome> questions) {}
}
