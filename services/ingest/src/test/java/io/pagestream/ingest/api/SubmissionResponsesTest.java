package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.Outcome;
import io.pagestream.ingest.limits.Reason;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.junit.jupiter.api.Test;

/** Each outcome of a submission as HTTP: status, body, Location and Retry-After. */
class SubmissionResponsesTest {
    private static final String PREFIX = "/v1/documents/";

    @Test
    void anAcceptedDocumentOrARetryOfOneIsAnsweredWithItsStatusUrl() {
        Response accepted = SubmissionResponses.of(new Outcome.Accepted("d1", 3, "application/pdf"), PREFIX);
        assertEquals(202, accepted.getStatus());
        assertEquals(URI.create("/v1/documents/d1"), accepted.getLocation());
        assertEquals(
                new DocumentsResource.Accepted("d1", "/v1/documents/d1", 3, "application/pdf", false),
                accepted.getEntity());

        Response duplicate = SubmissionResponses.of(new Outcome.Duplicate("d1", 3, "application/pdf"), PREFIX);
        assertEquals(200, duplicate.getStatus());
        assertEquals(
                new DocumentsResource.Accepted("d1", "/v1/documents/d1", 3, "application/pdf", true),
                duplicate.getEntity());
    }

    @Test
    void aRefusalCarriesItsReasonCodeAndNoRetryAfter() {
        Response r = SubmissionResponses.of(new Outcome.Rejected(null, Reason.INVALID_REQUEST, "no file"), PREFIX);
        assertEquals(400, r.getStatus());
        assertEquals(new DocumentsResource.Refused(null, "INVALID_REQUEST", "no file"), r.getEntity());
        assertNull(r.getHeaderString("Retry-After"));

        Response large = SubmissionResponses.of(new Outcome.Rejected("d2", Reason.TOO_LARGE, "too big"), PREFIX);
        assertEquals(413, large.getStatus());
        assertEquals(new DocumentsResource.Refused("d2", "TOO_LARGE", "too big"), large.getEntity());
    }

    @Test
    void notNowCarriesRetryAfter() {
        Response busy = SubmissionResponses.of(new Outcome.Unavailable("d3", Reason.BUSY, "at capacity", 2), PREFIX);
        assertEquals(503, busy.getStatus());
        assertEquals("2", busy.getHeaderString("Retry-After"));
        assertEquals(new DocumentsResource.Refused("d3", "BUSY", "at capacity"), busy.getEntity());

        Response inProgress =
                SubmissionResponses.of(new Outcome.Unavailable("d3", Reason.IN_PROGRESS, "being processed", 1), PREFIX);
        assertEquals(409, inProgress.getStatus());
        assertEquals("1", inProgress.getHeaderString("Retry-After"));
    }

    @Test
    void everyReasonIsListedUnderItsStatusInTheOpenApiDescription() {
        Method submit = Arrays.stream(DocumentsResource.class.getMethods())
                .filter(m -> m.getName().equals("submit"))
                .findFirst()
                .orElseThrow();
        APIResponse[] documented = submit.getAnnotationsByType(APIResponse.class);
        for (Reason reason : Reason.values()) {
            String status = String.valueOf(SubmissionResponses.status(reason));
            String description = Arrays.stream(documented)
                    .filter(a -> a.responseCode().equals(status))
                    .map(APIResponse::description)
                    .findFirst()
                    .orElse("");
            assertTrue(description.contains(reason.code()), reason + " under " + status + ": " + description);
        }
    }
}
