package io.pagestream.worker.output;

/**
 * Why a page was given up.
 *
 * @param reasonCode one of the reason codes listed in docs/architecture.md
 */
public record Failure(String reasonCode, Stage stage, String message) {
    public static final String CORRUPT_IMAGE = "CORRUPT_IMAGE";
    public static final String DESERIALIZATION_ERROR = "DESERIALIZATION_ERROR";
    public static final String TOO_MANY_PIXELS = "TOO_MANY_PIXELS";
    public static final String TOO_LARGE = "TOO_LARGE";
    public static final String UNSUPPORTED_TASK = "UNSUPPORTED_TASK";
    public static final String INVALID_PROMPT = "INVALID_PROMPT";
    public static final String INFERENCE_ERROR = "INFERENCE_ERROR";
    public static final String TIMEOUT = "TIMEOUT";
    /** A bug in the worker rather than a bad page; the page is reported so it never blocks its document. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    public static Failure of(String reasonCode, Stage stage, String message, Throwable cause) {
        return new Failure(reasonCode, stage, cause == null ? message : message + ": " + describe(cause));
    }

    /** The exception's class and first message line: enough to triage without a stack trace in a record. */
    public static String describe(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int newline = message.indexOf('\n');
        return error.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
