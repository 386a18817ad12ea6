package io.pagestream.ingest.api;

import io.pagestream.ingest.api.DocumentsResource.Refused;
import io.pagestream.ingest.limits.Reason;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * Failures of a request before the endpoint runs — the framework's multipart parser on a broken form (a body that
 * ends inside the form, a wrong or empty boundary, an unknown charset, bad base64, more fields than the parser takes,
 * a field over {@code quarkus.http.limits.max-form-attribute-size}; 503 STORAGE when it cannot write an upload to
 * disk) and refusals of the request's media type — each
 * answered as ingest answers every refusal: a 4xx with a reason code and a JSON body, never a 500. The parser throws
 * plain IOExceptions and RuntimeExceptions, so its failures are told apart from ingest's own by where they were
 * thrown; anything else is a fault of ingest's and stays a logged 500.
 */
final class MultipartFailures {
    private static final System.Logger LOG = System.getLogger(MultipartFailures.class.getName());
    private static final String PARSER_PACKAGE = "org.jboss.resteasy.reactive.server.core.multipart.";
    private static final String FORM_BODY_HANDLER = "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";

    private MultipartFailures() {}

    static Response answer(Exception e, int retryAfterSeconds) {
        if (e instanceof WebApplicationException w) {
            return answer(w);
        }
        if (fromTheParser(e) && writingUploads(e)) {
            LOG.log(System.Logger.Level.ERROR, "an upload could not be written", e);
            return Response.status(SubmissionResponses.status(Reason.STORAGE))
                    .entity(new Refused(null, Reason.STORAGE.code(), "ingest could not store the upload; retry later"))
                    .type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", retryAfterSeconds)
                    .build();
        }
        if (fromTheParser(e)) {
            return refused(
                    Reason.INVALID_REQUEST,
                    "the multipart/form-data body cannot be read (" + firstLine(e) + "); send a well-formed form");
        }
        LOG.log(System.Logger.Level.ERROR, "a submission failed unexpectedly", e);
        return Response.serverError()
                .entity(new Refused(null, null, "ingest failed unexpectedly; the error is logged"))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /** Framework refusals without a body get ingest's: the reason code for their status, and a message. */
    static Response answer(WebApplicationException e) {
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given;
        }
        return switch (given.getStatus()) {
            case 400 -> refused(Reason.INVALID_REQUEST, "the request cannot be read: send multipart/form-data");
            case 413 ->
                refused(
                        Reason.TOO_LARGE,
                        "a form field is larger than the limit (quarkus.http.limits.max-form-attribute-size)");
            case 415 ->
                refused(
                        Reason.UNSUPPORTED_FORMAT,
                        "the request must be multipart/form-data with a boundary, holding the document as its "
                                + "'file' part");
            default -> given;
        };
    }

    /** The parser failed creating or writing an upload's file: ingest's disk, not the client's form. */
    static boolean writingUploads(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException) {
                return true;
            }
            StackTraceElement[] frames = t.getStackTrace();
            if (t instanceof IOException
                    && frames.length > 0
                    && frames[0].getClassName().matches("(sun|java)\\.nio\\..*")) {
                return true;
            }
        }
        return false;
    }

    static boolean fromTheParser(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith(PARSER_PACKAGE)
                        || frame.getClassName().equals(FORM_BODY_HANDLER)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Response refused(Reason reason, String message) {
        return Response.status(SubmissionResponses.status(reason))
                .entity(new Refused(null, reason.code(), message))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String line = message.lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
