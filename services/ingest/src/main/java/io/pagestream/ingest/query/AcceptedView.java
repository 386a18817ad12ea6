package io.pagestream.ingest.query;

import io.pagestream.ingest.idempotency.AcceptedDocuments;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A document ingest accepted and the assembler does not know yet, in the shape of the assembler's view of a document
 * ({@code DocumentView}), so a client reads one shape whichever service answered.
 */
@Schema(description = "A document accepted and not yet seen by the assembler: no page done, no results")
public record AcceptedView(
        String documentId,
        @Schema(description = "ACCEPTED here; PROCESSING, COMPLETED or INCOMPLETE once the assembler has it")
                State state,
        Integer pageCount,
        int pagesDone,
        List<Integer> failedPages,
        @Schema(description = "Every page: none is done yet") List<Integer> missingPages,
        Instant submittedAt,
        @Schema(description = "Always null: the assembler has received nothing for the document yet")
                Instant lastActivityAt,
        @Schema(description = "Always null") Instant closedAt,
        @Schema(description = "Always null") Object results) {

    public enum State {
        ACCEPTED
    }

    public static AcceptedView of(AcceptedDocuments.Accepted accepted) {
        return new AcceptedView(
                accepted.documentId(),
                State.ACCEPTED,
                accepted.pageCount(),
                0,
                List.of(),
                IntStream.range(0, accepted.pageCount()).boxed().toList(),
                accepted.submittedAt(),
                null,
                null,
                null);
    }
}
