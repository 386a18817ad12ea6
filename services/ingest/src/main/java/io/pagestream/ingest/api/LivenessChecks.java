package io.pagestream.ingest.api;

import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.health.PartHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while no background part has been given up (it died more often than its restarts allow) and the supervisor
 * that restarts them runs on time; DOWN tells Kubernetes to restart the pod, which a restart of the part could not
 * replace.
 */
@Liveness
@ApplicationScoped
public class LivenessChecks implements HealthCheck {
    @Inject
    Ingest ingest;

    @Override
    public HealthCheckResponse call() {
        if (ingest.health() == null) {
            return HealthCheckResponse.up("ingest"); // starting: readiness says it is not ready yet
        }
        String supervisor = ingest.health().supervisorProblem();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("ingest").withData("supervisor", supervisor == null ? "on time" : supervisor);
        boolean live = supervisor == null;
        for (PartHealth part : ingest.health().health()) {
            live &= part.live();
            if (!part.live()) {
                response.withData(part.name(), part.state() + ": " + part.detail());
            }
        }
        return response.status(live).build();
    }
}
