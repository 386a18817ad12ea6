package io.pagestream.worker.ops;

import io.pagestream.worker.WorkerService;
import io.pagestream.worker.model.ModelRuntime;
import io.pagestream.worker.pipeline.Pipeline;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;

/** The worker's state in one JSON document, for operators; Prometheus metrics carry the same figures over time. */
@Path("/v1/worker")
public class WorkerResource {
    private final WorkerService worker;

    public WorkerResource(WorkerService worker) {
        this.worker = worker;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public WorkerStatus status() {
        Optional<ModelRuntime> model = worker.model();
        Optional<Pipeline> pipeline = worker.pipeline();
        return new WorkerStatus(
                worker.config().instanceId(),
                worker.state().name(),
                model.map(m -> m.identity().modelId()).orElse(null),
                model.map(m -> m.identity().modelVersion()).orElse(null),
                model.map(m -> m.memory().device()).orElse(null),
                model.map(m -> m.engine().slots()).orElse(0),
                model.map(m -> m.engine().slotTokens()).orElse(0),
                model.map(m -> m.engine().kvCacheBytes()).orElse(0L),
                pipeline.map(p -> p.limits().current().pages()).orElse(0),
                worker.config().batch().maxPages(),
                pipeline.map(p -> p.poll().assignedPartitions()).orElse(0),
                pipeline.map(p -> p.poll().inFlight()).orElse(0),
                pipeline.map(p -> p.inference().pagesAtEngine()).orElse(0),
                pipeline.map(p -> p.poll().paused()).orElse(false),
                model.map(m -> m.engine().stats()).orElse(null));
    }
}
