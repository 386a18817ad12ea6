package io.pagestream.ingest.limits;

/** A submission refused for a reason the client can act on: a reason code and a message. */
public final class Rejected extends Exception {
    private final Reason reason;

    public Rejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Rejected(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public static Rejected corrupt(String message, Throwable cause) {
        return new Rejected(Reason.CORRUPT_FILE, message, cause);
    }

    public Reason reason() {
        return reason;
    }
}
