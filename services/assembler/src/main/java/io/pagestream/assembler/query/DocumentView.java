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
        @Schema(description = "PROCESSING until every page is done or the timeout closes the document")
        State state,
        @Schema(description = "Pages of the document; null while its request has not reached the assembler")
        Integer pageCount,
        @Schema(description = "Pages with every requested result or a failure")
        int pagesDone,
        @Schema(description = "Pages that failed (they count as done)")
        List<Integer> failedPages,
        @Schema(description = "Pages not done: still to come while PROCESSING, never came when INCOMPLETE")
        List<Integer> missingPages,
        @Schema(description = "When ingest accepted the document; null while its request has not arrived")
        Instant submittedAt,
        @Schema(description = "When the assembler last received something new for the document")
        Instant lastActivityAt,
        @Schema(description = "When the document was closed; null while PROCESSING")
        Instant closedAt,
        @Schema(description = "The document's OCR and answers once it is closed (partial when INCOMPLETE); "
                + "null while PROCESSING or when not asked for")
        Results results) {

    public enum State {
        PROCESSING, COMPLETED, INCOMPLETE
    }

    /**
     * @param pages     every page in order, with its text or its failure (MISSING: no result came); null when OCR
     *                  was not requested
     * @param fullText  the text of the pages that have one, separated by form feeds; null when OCR was not requested
     * @param questions per question, the best answer over the document and every page's candidate; null when QA was
     *                  not requested
     */
    public record Results(List<PageOutcome> pages, String fullText, List<QuestionOutcome> questions) {
    }
}
