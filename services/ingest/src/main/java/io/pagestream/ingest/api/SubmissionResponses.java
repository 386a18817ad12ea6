package io.pagestream.ingest.api;

import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.api.DocumentsResource.Accepted;
import io.pagestream.ingest.api.DocumentsResource.Refused;
import io.pagestream.ingest.limits.Reason;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The HTTP answer to each outcome of a submission: the one place that decides HTTP statuses. */
public final class SubmissionResponses {

    private SubmissionResponses() {}

    /** The answer to {@code outcome}; an accepted document's status URL is {@code statusUrlPrefix} and its id. */
    static Response of(Outcome outcome, String statusUrlPrefix) {
        return switch (outcome) {
            case Outcome.Accepted a ->
                accepted(202, a.documentId(), a.pageCount(), a.mediaType(), false, statusUrlPrefix);
            case Outcome.Duplicate d ->
                accepted(200, d.documentId(), d.pageCount(), d.mediaType(), true, statusUrlPrefix);
            case Outcome.Rejected r ->
                refused(r.documentId(), r.reason(), r.message()).build();
            case Outcome.Unavailable u ->
                refused(u.documentId(), u.reason(), u.message())
                        .header("Retry-After", u.retryAfterSeconds())
                        .build();
        };
    }

    /** The status of every answer that gives {@code reason}, as the OpenAPI description of the endpoint lists them. */
    public static int status(Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST, TOO_MANY_QUESTIONS, QUESTION_TOO_LONG -> 400;
            case IDEMPOTENCY_CONFLICT, IN_PROGRESS -> 409;
            case TENANT_QUOTA -> 429;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case EMPTY,
                    CORRUPT_FILE,
                    ENCRYPTED,
                    TOO_MANY_PAGES,
                    TOO_MANY_PIXELS,
                    DECOMPRESSION_BOMB,
                    RENDER_MEMORY,
                    RENDER_TIMEOUT,
                    RENDER_FAILED -> 422;
            case BUSY, KAFKA_UNAVAILABLE, STORAGE, SHUTTING_DOWN -> 503;
        };
    }

    private static Response accepted(
            int status, String documentId, int pageCount, String mediaType, boolean duplicate, String statusUrlPrefix) {
        String statusUrl = statusUrlPrefix + documentId;
        return Response.status(status)
                .location(URI.create(statusUrl))
                .entity(new Accepted(documentId, statusUrl, pageCount, mediaType, duplicate))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static Response.ResponseBuilder refused(String documentId, Reason reason, String message) {
        return Response.status(status(reason))
                .entity(new Refused(documentId, reason.code(), message))
                .type(MediaType.APPLICATION_JSON);
    }
}
