package io.pagestream.worker.output;

/** A page that cannot be processed, with the reason its failure record will carry. */
public final class PageFailedException extends Exception {
    private final transient Failure failure;

    public PageFailedException(Failure failure, Throwable cause) {
        super(failure.reasonCode() + " at " + failure.stage() + ": " + failure.message(), cause);
        this.failure = failure;
    }

    public PageFailedException(String reasonCode, Stage stage, String message) {
        this(new Failure(reasonCode, stage, message), null);
    }

    public Failure failure() {
        return failure;
    }
}
