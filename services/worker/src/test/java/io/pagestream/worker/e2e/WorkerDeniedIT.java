package io.pagestream.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.stack.FreePorts;
import io.pagestream.stack.SecureKafka;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.stack.TopicAdmin;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.QuietKafka;
import io.pagestream.testing.Wait;
import io.pagestream.topics.ServicePrincipal;
import io.pagestream.topics.Topics;
import io.pagestream.worker.testing.TinyModel;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged worker started with another principal's client properties file (ingest's) on a SASL_SSL broker with
 * {@code StandardAuthorizer}: the broker refuses its transactional id, and the worker does not retry sessions that
 * would be refused the same forever while it reports ready: it logs what was refused and its readiness and liveness
 * go DOWN (state FAILED), so an orchestrator restarts it and shows why.
 */
@IntegrationTest
class WorkerDeniedIT {
    static {
        QuietKafka.atWarn();
    }

    @Test
    void aWorkerLoggedInAsIngestIsRefusedAndExits(@TempDir Path dir) throws Exception {
        try (SecureKafka kafka = SecureKafka.start()) {
            TopicAdmin.createMissing(kafka.adminSettings(), Topics.newTopics((short) 1));
            kafka.createUser(ServicePrincipal.INGEST.user(), "ingest-password");
            kafka.createAcls(ServicePrincipal.INGEST.acls());
            Path ingestLogin = kafka.writeClientProperties(
                    ServicePrincipal.INGEST.user(), "ingest-password", dir.resolve("ingest.properties"));
            Path app = Path.of(System.getProperty("pagestream.worker.app", "target/quarkus-app/quarkus-run.jar"));
            assertTrue(Files.isRegularFile(app), "the packaged worker at " + app + " (run after package)");
            Path log = Files.createDirectories(Path.of("target", "e2e")).resolve("denied-worker.log");
            Files.deleteIfExists(log);

            try (ServiceJvm worker = ServiceJvm.builder("worker", app)
                    .maxHeap("512m")
                    .port(FreePorts.pick())
                    .properties(Map.of(
                            "pagestream.kafka.bootstrap-servers",
                            kafka.bootstrapServers(),
                            "pagestream.kafka.config-file",
                            ingestLogin.toString(),
                            // Never reached: the broker refuses the worker before any record is written.
                            "pagestream.registry.url",
                            "http://127.0.0.1:1/apis/ccompat/v7",
                            "pagestream.worker.instance-id",
                            "denied-worker",
                            "pagestream.worker.model.checkpoint",
                            TinyModel.shared().toString(),
                            "pagestream.worker.model.threads",
                            "1"))
                    .log(log)
                    .start()) {
                Wait.upTo(Duration.ofSeconds(120))
                        .until(() -> Files.readString(log).contains("Kafka refused this worker's principal"));

                String refusal = Files.readString(log)
                        .lines()
                        .filter(l -> l.contains("Kafka refused this worker's principal"))
                        .findFirst()
                        .orElseThrow();
                assertTrue(refusal.contains("its transactional id (TransactionalIdAuthorizationException: "), refusal);
                assertTrue(refusal.contains("pagestream.kafka.config-file"), refusal);
                HttpResponse<String> ready = worker.getManagement(ServiceJvm.READY_PATH);
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("FAILED"), ready.body());
                assertEquals(503, worker.getManagement("/q/health/live").statusCode());
            }
        }
    }
}
