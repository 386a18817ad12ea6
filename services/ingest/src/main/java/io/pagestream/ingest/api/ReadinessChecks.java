package io.pagestream.ingest.api;

import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.health.PartHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the idempotency table has read {@code documents.requests} to its end (before that a retry could not be
 * recognised), and while every background part is UP: the idempotency reader, the document and status producers, and
 * the render slots (see {@code health.Supervisor}). Kafka reachability is the Kafka client extension's own readiness
 * check.
 */
@Readiness
@ApplicationScoped
public class ReadinessChecks implements HealthCheck {
    @Inject
    Ingest ingest;

    @Override
    public HealthCheckResponse call() {
        if (ingest.accepted() == null || ingest.health() == null) {
            return HealthCheckResponse.down("ingest");
        }
        List<PartHealth> parts = ingest.health().health();
        boolean caughtUp = ingest.accepted().caughtUp();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ingest")
                .status(caughtUp && parts.stream().allMatch(PartHealth::ready))
                .withData("documents", ingest.accepted().size())
                .withData("caught-up", caughtUp);
        for (PartHealth part : parts) {
            response.withData(part.name(), part.state() + ": " + part.detail());
        }
        return response.build();
    }
}
