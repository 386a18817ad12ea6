package io.pagestream.ingest.limits;

/**
 * Why ingest did not take a submission: the HTTP body's {@code reason}, and the {@code reasonCode} of the REJECTED
 * status event. A constant's name is its code on the wire, so renaming one breaks clients; the contracts keep the
 * code a string on purpose, so adding one breaks no consumer. The REST layer alone maps reasons to HTTP statuses.
 */
public enum Reason {
    // The request must change: refused.
    UNSUPPORTED_FORMAT,
    CORRUPT_FILE,
    ENCRYPTED,
    EMPTY,
    TOO_LARGE,
    TOO_MANY_PAGES,
    TOO_MANY_PIXELS,
    TOO_MANY_QUESTIONS,
    QUESTION_TOO_LONG,
    /** A compressed stream inside a PDF inflates past the per-page budget. */
    DECOMPRESSION_BOMB,
    /** A malformed request: no file, unknown task, QA without questions, bad metadata or document id. */
    INVALID_REQUEST,
    /**
     * The idempotency key (or the client's document id) was used for another file or with other questions, tasks,
     * mode, grounding or metadata; or the client's document id is taken.
     */
    IDEMPOTENCY_CONFLICT,

    // The same submission may go through later.
    /** A submission of the same document is being processed right now. */
    IN_PROGRESS,
    /** Every publishing slot stayed busy, or too many uploads were in progress. */
    BUSY,
    /** Kafka did not answer in time (publishing, or reading earlier submissions). */
    KAFKA_UNAVAILABLE,
    /** Ingest could not write its work files. */
    STORAGE,
    SHUTTING_DOWN;

    /** The code as it travels: in HTTP bodies and in {@code DocumentStatus.reasonCode}. */
    public String code() {
        return name();
    }
}
