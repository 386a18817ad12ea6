package io.pagestream.cli;

/**
 * Exit statuses of {@code get} and {@code wait} beyond 0 (done) and picocli's 2 (bad usage), so scripts can tell
 * the outcomes apart (docs/command-line.md lists them).
 */
final class ExitCodes {
    /** The API could not be reached, kept answering 503, or answered something unexpected. */
    static final int FAILED = 1;
    /** A document was closed INCOMPLETE (get prints its partial results). */
    static final int INCOMPLETE = 3;
    /** The API does not know a document (404). */
    static final int NOT_FOUND = 4;
    /** get: the document is still PROCESSING; nothing was printed. */
    static final int PROCESSING = 5;
    /** wait: the timeout passed with a document still PROCESSING. */
    static final int TIMEOUT = 6;

    private ExitCodes() {}
}
