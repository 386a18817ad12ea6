package io.pagestream.ingest.limits;

/** A submission refused for a reason the client can act on: an HTTP 4xx status, a reason code and a message. */
public final class Rejected extends Exception {
    private final String reason;
    private final int httpStatus;

    public Rejected(String reason, int httpStatus, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public Rejected(String reason, int httpStatus, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public static Rejected unprocessable(String reason, String message) {
        return new Rejected(reason, 422, message);
    }

    public static Rejected corrupt(String message, Throwable cause) {
        return new Rejected(Reason.CORRUPT_FILE, 422, message, cause);
    }

    public String reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
