package io.pagestream.ingest.api;

import io.pagestream.ingest.Ingest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the idempotency table has read {@code documents.requests} to its end (before that a retry could not be
 * recognised). Kafka reachability is the Kafka client extension's own readiness check.
 */
@Readiness
@ApplicationScoped
public class ReadinessChecks implements HealthCheck {
    @Inject
    Ingest ingest;

    @Override
    public HealthCheckResponse call() {
        boolean ready = ingest.accepted() != null && ingest.accepted().caughtUp();
        return HealthCheckResponse.named("accepted-documents")
                .status(ready)
                .withData(
                        "documents",
                        ingest.accepted() == null ? 0 : ingest.accepted().size())
                .build();
    }
}
