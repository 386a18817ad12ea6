package io.pagestream.ingest.limits;

/**
 * Reason codes ingest answers with (HTTP body {@code reason}, and {@code reasonCode} of the REJECTED status event).
 * Strings, not an enum, like the contract's field: a new code never breaks a consumer.
 */
public final class Reason {
    public static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";
    public static final String CORRUPT_FILE = "CORRUPT_FILE";
    public static final String ENCRYPTED = "ENCRYPTED";
    public static final String EMPTY = "EMPTY";
    public static final String TOO_LARGE = "TOO_LARGE";
    public static final String TOO_MANY_PAGES = "TOO_MANY_PAGES";
    public static final String TOO_MANY_PIXELS = "TOO_MANY_PIXELS";
    public static final String TOO_MANY_QUESTIONS = "TOO_MANY_QUESTIONS";
    public static final String QUESTION_TOO_LONG = "QUESTION_TOO_LONG";
    /** A compressed stream inside a PDF inflates past the per-page budget. */
    public static final String DECOMPRESSION_BOMB = "DECOMPRESSION_BOMB";
    /** A malformed request: no file, unknown task, QA without questions, bad metadata or document id. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private Reason() {
    }
}
