package io.pagestream.ingest.fuzz;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounded fuzz run: a fixed number of seeded cases (mutated PDFs, PNGs, JPEGs, TIFFs, WebPs and multipart forms)
 * over a real socket; none may get a 5xx other than the documented 503 with Retry-After, and the service is ready
 * and accepts a good document afterwards. {@code -Dfuzz.seed} and {@code -Dfuzz.cases} change the run; the seed is
 * printed, and each failure names the seed that replays it ({@code services/ingest/fuzz.sh --replay SEED}).
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class IngestFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261207L);
    private static final long CASES = Long.getLong("fuzz.cases", 300L);

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void mutatedDocumentsAndFormsGetNo5xxAndTheServiceStaysHealthy() throws InterruptedException {
        FuzzRun run = new FuzzRun(new RawHttp("localhost", RestAssured.port, 60_000), SEED);
        long start = System.nanoTime();
        run.run(CASES, Duration.ofMinutes(5), 1);
        System.out.printf(
                "fuzz: %d cases, seed %d, %.1f s: %s%n",
                run.sent(), SEED, (System.nanoTime() - start) / 1e9, run.histogram());
        assertEquals(CASES, run.sent());
        assertEquals(List.of(), run.failures(), "seed " + SEED);

        given().baseUri("http://" + management.getHost())
                .port(management.getPort())
                .when()
                .get("/q/health/ready")
                .then()
                .statusCode(200);
        FuzzCases.FuzzCase good = new FuzzCases().good();
        RawHttp.Answer after = new RawHttp("localhost", RestAssured.port, 60_000)
                .post("/v1/documents", good.contentType(), good.body());
        assertEquals(202, after.status(), after.toString());
    }
}
