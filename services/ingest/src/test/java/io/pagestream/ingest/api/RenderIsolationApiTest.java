package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.BombFiles;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.Concurrently;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Bombs through the REST API, rendered in the service's render processes (96 MiB heap in tests): each is refused 422
 * with its reason and a REJECTED event, never a 503 with Retry-After; a good document sent at the same moment is
 * accepted, and the service stays ready and live. The reasons' full range (deadlines, fairness) is
 * {@code RenderIsolationTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class RenderIsolationApiTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void bombsAreRefusedWithTheirReasonWhileAGoodDocumentIsAcceptedAndTheServiceStaysUp() {
        CompletableFuture<Response> memory = Concurrently.supply(
                "memory bomb", () -> Submit.file("huge-transform.pdf", BombFiles.hugeTransformImage(6000))
                        .post());
        CompletableFuture<Response> crash =
                Concurrently.supply("crash bomb", () -> Submit.file("type3.pdf", BombFiles.recursiveType3Glyph())
                        .post());
        Response good = Submit.file("good.pdf", TestFiles.pdf(2, true, true)).post();

        assertEquals(202, good.statusCode(), good.asString());
        refused(memory.join(), "RENDER_MEMORY");
        refused(crash.join(), "RENDER_FAILED");
        given().baseUri("http://" + management.getHost())
                .port(management.getPort())
                .when()
                .get("/q/health")
                .then()
                .statusCode(200);
        Response next = Submit.file("next.png", TestFiles.png(300, 200)).post();
        assertEquals(202, next.statusCode(), "the processes the bombs killed were replaced: " + next.asString());
    }

    private static void refused(Response r, String reason) {
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals(reason, r.jsonPath().getString("reason"), r.asString());
        assertNull(r.header("Retry-After"), "a bomb is not worth retrying");
        String id = r.jsonPath().getString("documentId");
        DocumentStatus rejected = TopicRecorder.get()
                .await(id, DocumentStatus.class, l -> !l.isEmpty())
                .get(0);
        assertEquals(DocumentState.REJECTED, rejected.getState());
        assertEquals(reason, rejected.getReasonCode());
        assertTrue(rejected.getMessage().contains("renderer"), rejected.getMessage());
    }
}
