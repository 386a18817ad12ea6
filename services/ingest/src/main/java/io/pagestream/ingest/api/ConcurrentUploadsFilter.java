package io.pagestream.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.ingest.IngestConfig;
import io.pagestream.ingest.limits.Reason;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;

/**
 * Bounds the submissions in progress ({@code pagestream.ingest.max-concurrent-uploads}), each counted from its
 * request line to the end of its answer or of its connection: one more is answered 503 BUSY with Retry-After before a
 * byte of its body is read. Uploads are streamed to disk and stay there until the answer, so this bounds the disk and
 * connections that slow or waiting uploads hold, which the render slots ({@code max-in-flight}) do not. It runs after
 * {@link UploadSizeFilter}, so an upload refused as too large takes no place.
 */
@ApplicationScoped
public class ConcurrentUploadsFilter {
    @Inject
    IngestConfig config;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        Semaphore uploads = new Semaphore(config.maxConcurrentUploads());
        filters.register(
                rc -> {
                    if (rc.request().method() == HttpMethod.POST && "/v1/documents".equals(rc.normalizedPath())) {
                        if (!uploads.tryAcquire()) {
                            rc.response()
                                    .setStatusCode(SubmissionResponses.status(Reason.BUSY))
                                    .putHeader("Retry-After", String.valueOf(config.retryAfterSeconds()))
                                    .putHeader("Content-Type", "application/json")
                                    .putHeader("Connection", "close")
                                    .end(body(new DocumentsResource.Refused(
                                            null,
                                            Reason.BUSY.code(),
                                            "ingest is receiving " + config.maxConcurrentUploads()
                                                    + " uploads already; retry later")));
                            return;
                        }
                        rc.addEndHandler(ended -> uploads.release());
                    }
                    rc.next();
                },
                190);
    }

    private String body(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
