package io.pagestream.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Context;
import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Refuses an upload whose declared Content-Length already exceeds the byte limit (plus 1 MiB for the form fields)
 * before a byte of it is read, with the same TOO_LARGE answer and REJECTED event as one found too large afterwards.
 * With authentication on, the event is left out here (the caller is not authenticated yet).
 */
@ApplicationScoped
public class UploadSizeFilter {
    static final long FORM_FIELDS_ALLOWANCE = 1024 * 1024;

    @Inject
    Ingest ingest;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(
                rc -> {
                    if (rc.request().method() == HttpMethod.POST && "/v1/documents".equals(rc.normalizedPath())) {
                        String length = rc.request().getHeader("Content-Length");
                        long limit = ingest.config().maxBytes() + FORM_FIELDS_ALLOWANCE;
                        long declared = parse(length);
                        if (declared > limit) {
                            String key = Utf8Header.decode(rc.request().getHeader(DocumentsResource.IDEMPOTENCY_KEY));
                            String id = key != null && DocumentIds.isValidIdempotencyKey(key.strip())
                                    ? DocumentIds.fromIdempotencyKey(
                                            Tenants.DEFAULT,
                                            key.strip(),
                                            ingest.config().idSecret())
                                    : DocumentIds.random();
                            String message = "the upload has " + declared + " bytes; the limit is "
                                    + ingest.config().maxBytes();
                            if (!ingest.config().auth().enabled()) {
                                ingest.status()
                                        .send(
                                                DocumentStatus.newBuilder()
                                                        .setDocumentId(id)
                                                        .setState(DocumentState.REJECTED)
                                                        .setReasonCode(Reason.TOO_LARGE.code())
                                                        .setMessage(message)
                                                        .setAt(Instant.now())
                                                        .build(),
                                                Context.current());
                            }
                            rc.response()
                                    .setStatusCode(SubmissionResponses.status(Reason.TOO_LARGE))
                                    .putHeader("Content-Type", "application/json")
                                    .putHeader("Connection", "close")
                                    .end(body(new DocumentsResource.Refused(id, Reason.TOO_LARGE.code(), message)));
                            return;
                        }
                    }
                    rc.next();
                },
                200);
    }

    private String body(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long parse(String length) {
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
