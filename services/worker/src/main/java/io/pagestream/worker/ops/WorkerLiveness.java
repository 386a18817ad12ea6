package io.pagestream.worker.ops;

import io.pagestream.worker.WorkerService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live unless broken: a model that failed to load, a failed engine stage, or a poll loop that stopped polling. */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {
    private final WorkerService worker;

    public WorkerLiveness(WorkerService worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pagestream-worker")
                .status(worker.alive())
                .withData("state", worker.state().name())
                .build();
    }
}
