package io.pagestream.assembler.state;

/**
 * Where a document stands, one small value per document: its request (once seen), how many pages are done, and
 * whether it is open or closed.
 *
 * @param request        the request, or null while page results are held waiting for it
 * @param pagesDone      pages with every requested result or a failure (counted once the request is known)
 * @param lastActivityAt when the last new request or page result arrived (wall clock, epoch milliseconds)
 * @param closedAt       when the document was closed (wall clock, epoch milliseconds), 0 while open
 */
public record DocumentProgress(
        String documentId, RequestSummary request, int pagesDone, long lastActivityAt, Phase phase, long closedAt) {

    public enum Phase {
        OPEN,
        COMPLETED,
        INCOMPLETE
    }

    public static DocumentProgress opened(String documentId, long now) {
        return new DocumentProgress(documentId, null, 0, now, Phase.OPEN, 0);
    }

    public DocumentProgress withRequest(RequestSummary value, int donePages, long now) {
        return new DocumentProgress(documentId, value, donePages, now, phase, closedAt);
    }

    public DocumentProgress withPage(boolean newlyDone, long now) {
        return new DocumentProgress(documentId, request, pagesDone + (newlyDone ? 1 : 0), now, phase, closedAt);
    }

    public DocumentProgress closed(Phase outcome, long now) {
        return new DocumentProgress(documentId, request, pagesDone, lastActivityAt, outcome, now);
    }

    public boolean open() {
        return phase == Phase.OPEN;
    }

    public boolean allPagesDone() {
        return request != null && pagesDone >= request.pageCount();
    }
}
