package io.pagestream.assembler.query;

import static io.pagestream.assembler.testing.Results.answers;
import static io.pagestream.assembler.testing.Results.failure;
import static io.pagestream.assembler.testing.Results.ocr;
import static io.pagestream.assembler.testing.Results.request;
import static io.pagestream.assembler.testing.Results.textOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.assembler.config.AssemblerConfig;
import io.pagestream.assembler.testing.InputProducer;
import io.pagestream.assembler.topology.AssemblerSettings;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.servicetest.Dashboard;
import io.pagestream.servicetest.PipelineStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The assembler as it runs: Quarkus, Kafka Streams on a real broker and registry, and its REST API. */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
class DocumentResourceTest {
    static final Duration PATIENCE = Duration.ofSeconds(90);
    static InputProducer inputs;

    @Inject
    AssemblerConfig config;

    @BeforeAll
    static void connect() {
        var settings = ConfigProvider.getConfig();
        inputs = new InputProducer(settings.getValue(PipelineStackResource.BOOTSTRAP, String.class),
                settings.getValue(PipelineStackResource.REGISTRY, String.class));
    }

    @AfterAll
    static void disconnect() {
        inputs.close();
    }

    /** Asks until the answer satisfies the condition; on timeout, the failure shows the last answer. */
    static Response poll(String id, Predicate<Response> condition) {
        Response[] last = new Response[1];
        try {
            return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> last[0] = given().get("/v1/documents/{id}", id), condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("last answer for " + id + ": " + (last[0] == null ? "none"
                    : last[0].statusCode() + " " + last[0].body().asString()), e);
        }
    }

    static Response document(String id, String state) {
        return poll(id, r -> r.statusCode() == 200 && state.equals(r.path("state")));
    }

    @Test
    void showsProgressWhileProcessingAndResultsOnceCompleted() {
        String id = "doc-" + UUID.randomUUID();
        inputs.sendNow(request(id, 3, "Who signed?"), ocr(id, 0, 3), answers(id, 0, 3, 0.4),
                failure(id, 1, 3, "CORRUPT_IMAGE"), ocr(id, 2, 3));

        Response processing = poll(id, r -> r.statusCode() == 200 && Integer.valueOf(2).equals(r.path("pagesDone")));
        processing.then().body("state", equalTo("PROCESSING")).body("pageCount", equalTo(3))
                .body("missingPages", equalTo(List.of(2))).body("failedPages", equalTo(List.of(1)))
                .body("results", nullValue());

        inputs.sendNow(answers(id, 2, 3, 0.8));

        document(id, "COMPLETED").then()
                .header(DocumentResource.SERVED_BY_HEADER, containsString(":"))
                .body("pagesDone", equalTo(3))
                .body("results.pages.pageIndex", equalTo(List.of(0, 1, 2)))
                .body("results.pages[1].failure", equalTo("CORRUPT_IMAGE"))
                .body("results.fullText", equalTo(textOf(0) + "\f" + textOf(2)))
                .body("results.questions[0].question", equalTo("Who signed?"))
                .body("results.questions[0].best.pageIndex", equalTo(2))
                .body("results.questions[0].candidates.pageIndex", equalTo(List.of(0, 2)));
        given().queryParam("results", false).get("/v1/documents/{id}", id).then().statusCode(200)
                .body("state", equalTo("COMPLETED")).body("results", nullValue());
    }

    @Test
    void anUnknownDocumentIsNotFoundOnceTheAssemblerRuns() {
        Response answer = poll("never-submitted", r -> r.statusCode() != 503);
        answer.then().statusCode(404)
                .body("documentId", equalTo("never-submitted")).body("error", containsString("unknown document"));
    }

    @Test
    void theApiIsDescribedAndTheServiceReportsHealthAndMetrics() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/documents/{id}"));
        Awaitility.await().atMost(PATIENCE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("kafka_stream"));
    }

    @Test
    void everyMetricTheDashboardQueriesForTheAssemblerIsExposed() {
        Set<String> queried = Dashboard.metricsOf("Assembler");
        assertTrue(queried.contains("kafka_stream_thread_process_rate"), "the Assembler row: " + queried);
        // Kafka Streams registers its metrics as its threads and clients start.
        Awaitility.await().atMost(PATIENCE).untilAsserted(() -> assertEquals(Set.of(),
                Dashboard.missingFrom(given().get("/q/metrics").asString(), queried),
                "queried by the dashboard, not exposed"));
    }

    @Test
    void theConfigurationMatchesTheCode() {
        assertEquals(AssemblerSettings.defaults(), config.settings(), "the documented defaults");
        List<String> topics = new ArrayList<>(AssemblerTopology.INPUT_TOPICS);
        topics.addAll(AssemblerTopology.OUTPUT_TOPICS);
        assertEquals(topics, ConfigProvider.getConfig().getValues("quarkus.kafka-streams.topics", String.class),
                "Quarkus waits for every topic the topology reads and writes");
    }
}
