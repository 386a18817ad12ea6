package io.pagestream.worker.ops;

import io.pagestream.worker.WorkerService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the model is loaded and warmed up and the consumer polls. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    private final WorkerService worker;

    public WorkerReadiness(WorkerService worker) {
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pagestream-worker")
                .status(worker.ready())
                .withData("state", worker.state().name())
                .build();
    }
}
