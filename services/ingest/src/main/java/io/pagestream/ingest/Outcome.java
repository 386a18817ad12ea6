package io.pagestream.ingest;

/**
 * What became of a submission, ready to be answered over HTTP.
 *
 * @param httpStatus        202 accepted, 200 a retry of an accepted document, 4xx refused, 503 try again later
 * @param documentId        the document's id (null only when the request named an invalid one)
 * @param reason            reason code of a refusal or 503, null when accepted
 * @param pageCount         pages published (accepted and duplicate only)
 * @param retryAfterSeconds for 503 and 409: when to try again
 */
public record Outcome(int httpStatus, String documentId, String reason, String message, Integer pageCount,
        String mediaType, boolean duplicate, Integer retryAfterSeconds) {

    public static Outcome accepted(String id, int pages, String mediaType) {
        return new Outcome(202, id, null, null, pages, mediaType, false, null);
    }

    public static Outcome duplicate(String id, int pages, String mediaType) {
        return new Outcome(200, id, null, "already accepted: a retry of the same submission", pages, mediaType,
                true, null);
    }

    public static Outcome refused(int status, String id, String reason, String message) {
        return new Outcome(status, id, reason, message, null, null, false, null);
    }

    public static Outcome later(int status, String id, String reason, String message, int retryAfterSeconds) {
        return new Outcome(status, id, reason, message, null, null, false, retryAfterSeconds);
    }

    public boolean isAccepted() {
        return httpStatus == 200 || httpStatus == 202;
    }
}
