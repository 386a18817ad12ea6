package io.pagestream.ingest.render.isolated;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.BombFiles;
import io.pagestream.ingest.TestFiles;
import io.pagestream.stack.ServiceJvm;
import io.pagestream.testing.Concurrently;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.LocalStackExtension;
import io.pagestream.topics.Topics;
import io.restassured.response.Response;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service (target/quarkus-app, run by Failsafe after package) starts its render processes: their class
 * path comes from the code sources of the classes Quarkus' own class loader loaded from {@code lib/main}, which a
 * test on Maven's class path cannot show. A bomb is refused with its reason next to a good document.
 */
@IntegrationTest
class PackagedRenderIT {
    @RegisterExtension
    static final LocalStackExtension STACK =
            LocalStackExtension.kafkaAndRegistry().withTopics(Topics.newTopics((short) 1));

    @TempDir
    Path dir;

    @Test
    void thePackagedServiceRendersInItsRenderProcessesAndRefusesABomb() throws Exception {
        try (ServiceJvm ingest = ServiceJvm.builder(
                        "ingest",
                        Path.of(System.getProperty("pagestream.ingest.app", "target/quarkus-app/quarkus-run.jar")))
                .maxHeap("256m")
                .properties(Map.of(
                        "pagestream.kafka.bootstrap-servers",
                        STACK.bootstrapServers(),
                        "pagestream.registry.url",
                        STACK.registryUrl(),
                        "pagestream.ingest.work-directory",
                        dir.resolve("work").toString(),
                        "pagestream.ingest.max-in-flight",
                        "2",
                        "pagestream.ingest.render.slots-per-client",
                        "2",
                        "pagestream.ingest.render.max-heap",
                        "96m"))
                .log(dir.resolve("ingest.log"))
                .start()) {
            ingest.awaitReady(Duration.ofSeconds(90));
            CompletableFuture<Response> bomb = Concurrently.supply(
                    "bomb", () -> post(ingest, "huge-transform.pdf", BombFiles.hugeTransformImage(6000)));
            Response good = post(ingest, "good.pdf", TestFiles.pdf(2, true, false));
            assertEquals(202, good.statusCode(), good.asString() + "\n" + ingest.logTail());
            Response refused = bomb.join();
            assertEquals(422, refused.statusCode(), refused.asString());
            assertEquals("RENDER_MEMORY", refused.jsonPath().getString("reason"), refused.asString());
            HttpResponse<String> health = ingest.getManagement("/q/health/ready");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("render-processes"), health.body());
        }
    }

    private static Response post(ServiceJvm ingest, String name, byte[] content) {
        return given().baseUri(ingest.url())
                .multiPart("file", name, content, "application/octet-stream")
                .when()
                .post("/v1/documents");
    }
}
