package io.pagestream.ingest.health;

import io.pagestream.ingest.IngestConfig;
import io.pagestream.ingest.idempotency.AcceptedDocuments;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.publish.StatusPublisher;
import io.pagestream.ingest.render.isolated.RenderPool;
import java.util.List;

/**
 * Ingest's parts under one supervisor: the idempotency reader, the document and status producers, the render slots and
 * processes.
 */
public final class IngestHealth {
    private IngestHealth() {}

    public static RestartPolicy policy(IngestConfig.Health health) {
        return new RestartPolicy(
                health.restartBackoff(),
                health.maxRestartBackoff(),
                health.maxRestarts(),
                health.restartWindow(),
                health.stuckAfter());
    }

    public static Supervisor supervise(
            IngestConfig.Health health,
            AcceptedDocuments accepted,
            DocumentPublisher publisher,
            StatusPublisher status,
            RenderPool renders) {
        return new Supervisor(List.of(
                        accepted.reader(),
                        new DocumentProducers(publisher, policy(health)),
                        status.sender(),
                        new RenderSlots(publisher, health.slotsExhaustedAfter()),
                        new RenderProcesses(renders)))
                .start();
    }
}
