package io.pagestream.ingest;

import io.pagestream.ingest.limits.Reason;

/** What became of a submission. The REST layer alone turns an outcome into an HTTP status and body. */
public sealed interface Outcome {

    /** The document's id: null only when the request named no usable one. */
    String documentId();

    /** Published: the request, every page and the ACCEPTED event, in one transaction. */
    record Accepted(String documentId, int pageCount, String mediaType) implements Outcome {}

    /** A retry of a submission already accepted: nothing was published. */
    record Duplicate(String documentId, int pageCount, String mediaType) implements Outcome {}

    /**
     * Refused for a reason the client can act on; announced as a REJECTED event unless it concerns the id itself
     * (none usable, or an idempotency conflict).
     */
    record Rejected(String documentId, Reason reason, String message) implements Outcome {}

    /** Not taken now: the same submission (same idempotency key) may go through after {@code retryAfterSeconds}. */
    record Unavailable(String documentId, Reason reason, String message, int retryAfterSeconds) implements Outcome {}
}
