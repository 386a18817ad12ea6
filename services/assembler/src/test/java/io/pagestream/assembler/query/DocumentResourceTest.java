package io.pagestream.assembler.query;

import static io.pagestream.assembler.testing.Results.answer;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pagestream.assembler.config.AssemblerConfig;
import io.pagestream.assembler.state.AvroBeans;
import io.pagestream.assembler.testing.Structures;
import io.pagestream.assembler.topology.AssemblerSettings;
import io.pagestream.assembler.topology.AssemblerTopology;
import io.pagestream.avro.AvroDeserializer;
import io.pagestream.registry.SchemaRegistryClient;
import io.pagestream.registry.testing.RegistryClients;
import io.pagestream.schema.BoxPlacement;
import io.pagestream.schema.DocumentOcr;
import io.pagestream.schema.PageStructure;
import io.pagestream.servicetest.Dashboard;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The assembler as it runs: Quarkus, Kafka Streams on a real broker and registry, and its REST API. */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class DocumentResourceTest {
    /** The management interface (health, metrics, OpenAPI), on its own port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Reads the view's structures and boxes back into the contract's classes, as the state does. */
    static final ObjectMapper JSON = AvroBeans.register(new ObjectMapper());

    static TopicWriter inputs;

    @Inject
    AssemblerConfig config;

    @BeforeAll
    static void connect() {
        var settings = ConfigProvider.getConfig();
        inputs = new TopicWriter(
                settings.getValue(PipelineStackResource.BOOTSTRAP, String.class),
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
            return Wait.upTo(PATIENCE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> last[0] = given().get("/v1/documents/{id}", id), condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "last answer for " + id + ": "
                            + (last[0] == null
                                    ? "none"
                                    : last[0].statusCode() + " "
                                            + last[0].body().asString()),
                    e);
        }
    }

    static Response document(String id, String state) {
        return poll(id, r -> r.statusCode() == 200 && state.equals(r.path("state")));
    }

    @Test
    void showsProgressWhileProcessingAndResultsOnceCompleted() {
        String id = "doc-" + UUID.randomUUID();
        inputs.sendNow(
                request(id, 3, "Who signed?"),
                ocr(id, 0, 3),
                answers(id, 0, 3, 0.4),
                failure(id, 1, 3, "CORRUPT_IMAGE"),
                ocr(id, 2, 3));

        Response processing =
                poll(id, r -> r.statusCode() == 200 && Integer.valueOf(2).equals(r.path("pagesDone")));
        processing
                .then()
                .body("state", equalTo("PROCESSING"))
                .body("pageCount", equalTo(3))
                .body("missingPages", equalTo(List.of(2)))
                .body("failedPages", equalTo(List.of(1)))
                .body("results", nullValue());

        inputs.sendNow(answers(id, 2, 3, 0.8));

        document(id, "COMPLETED")
                .then()
                .header(DocumentResource.SERVED_BY_HEADER, containsString(":"))
                .body("pagesDone", equalTo(3))
                .body("results.pages.pageIndex", equalTo(List.of(0, 1, 2)))
                .body("results.pages[1].failure", equalTo("CORRUPT_IMAGE"))
                .body("results.fullText", equalTo(textOf(0) + "\f" + textOf(2)))
                .body("results.questions[0].question", equalTo("Who signed?"))
                .body("results.questions[0].best.pageIndex", equalTo(2))
                .body("results.questions[0].candidates.pageIndex", equalTo(List.of(0, 2)));
        given().queryParam("results", false)
                .get("/v1/documents/{id}", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("COMPLETED"))
                .body("results", nullValue());
        given().header(DocumentResource.TENANT_HEADER, "default")
                .get("/v1/documents/{id}", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("COMPLETED"));
        given().header(DocumentResource.TENANT_HEADER, "globex")
                .get("/v1/documents/{id}", id)
                .then()
                .statusCode(404)
                .body("error", containsString("unknown document"));
    }

    @Test
    void aStructuredPageArrivesOnDocumentsOcrAndInTheViewWhole() throws IOException {
        String id = "structured-" + UUID.randomUUID();
        Structures report = Structures.report(0, 400);
        PageStructure structure = report.build();
        BoxPlacement evidence = Structures.box(600, 880, 900, 900);
        inputs.sendNow(
                request(id, 2, "Total?"),
                ocr(id, 0, 2, report),
                ocr(id, 1, 2),
                answers(id, 0, 2, List.of(answer(0, "42 EUR", 0.4, false, evidence))),
                answers(id, 1, 2, List.of(answer(0, "not on this page", 0.9, true, null))));
        String markdown = "<!-- page 1 -->\n" + structure.getMarkdown() + "\n\n<!-- page 2 -->\n" + textOf(1);

        DocumentOcr published = publishedOcr(id);
        assertEquals(
                structure,
                published.getPages().get(0).getStructure(),
                "heading, paragraphs, the 3 x 4 table, boxes in pixels and points: through the broker and registry");
        assertEquals(markdown, published.getMarkdown());

        JsonNode results =
                JSON.readTree(document(id, "COMPLETED").body().asString()).path("results");
        assertEquals(markdown, results.path("markdown").asText());
        JsonNode shown = results.path("pages").path(0).path("structure");
        assertEquals(
                structure,
                JSON.treeToValue(shown, PageStructure.class),
                "the structure as JSON with the Avro field names, read back whole");
        assertEquals("TABLE", shown.path("blocks").path(3).path("kind").asText());
        assertEquals(
                "12",
                shown.path("tables")
                        .path(0)
                        .path("rows")
                        .path(1)
                        .path(2)
                        .path("text")
                        .asText());
        assertEquals(
                structure.getBlocks().get(1).getBoxes().get(0).getPoints().getY2(),
                shown.path("blocks")
                        .path(1)
                        .path("boxes")
                        .path(0)
                        .path("points")
                        .path("y2")
                        .asDouble());
        assertFalse(shown.has("schema"), "nothing of Avro's own: " + names(shown));
        assertTrue(results.path("pages").path(1).path("structure").isNull(), "a page without structure: null");
        JsonNode total = results.path("questions").path(0);
        assertFalse(total.path("noAnswer").asBoolean());
        assertEquals(0, total.path("best").path("pageIndex").asInt());
        assertEquals(evidence, JSON.treeToValue(total.path("best").path("evidence"), BoxPlacement.class));
        assertTrue(total.path("candidates").path(1).path("noAnswer").asBoolean());
        assertTrue(total.path("candidates").path(1).path("evidence").isNull());
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The document's OCR record as a read_committed consumer of documents.ocr gets it. */
    static DocumentOcr publishedOcr(String id) {
        var settings = ConfigProvider.getConfig();
        try (SchemaRegistryClient registry =
                        RegistryClients.of(settings.getValue(PipelineStackResource.REGISTRY, String.class));
                KafkaConsumer<String, DocumentOcr> consumer = new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                settings.getValue(PipelineStackResource.BOOTSTRAP, String.class),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "test-reader-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                IsolationLevel.READ_COMMITTED.toString(),
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                Topics.RESULT_MAX_MESSAGE_BYTES),
                        new StringDeserializer(),
                        new AvroDeserializer<>(registry, DocumentOcr.class))) {
            consumer.subscribe(List.of(Topics.DOCUMENTS_OCR.name()));
            DocumentOcr[] found = new DocumentOcr[1];
            Wait.upTo(PATIENCE).until(() -> {
                for (ConsumerRecord<String, DocumentOcr> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())) {
                        found[0] = record.value();
                    }
                }
                return found[0] != null;
            });
            return found[0];
        }
    }

    @Test
    void anUnknownDocumentIsNotFoundOnceTheAssemblerRuns() {
        Response answer = poll("never-submitted", r -> r.statusCode() != 503);
        answer.then()
                .statusCode(404)
                .body("documentId", equalTo("never-submitted"))
                .body("error", containsString("unknown document"));
    }

    @Test
    void theApiIsDescribedAndTheServiceReportsHealthAndMetrics() throws IOException {
        management().get("/q/openapi").then().statusCode(200).body(containsString("/v1/documents/{id}"));
        JsonNode schemas = JSON.readTree(management()
                        .queryParam("format", "json")
                        .get("/q/openapi")
                        .asString())
                .path("components")
                .path("schemas");
        assertEquals(
                Set.of("mode", "markdown", "blocks", "tables", "flags", "sourcePage"),
                names(schemas.path("PageStructure").path("properties")),
                "the structure's fields as the JSON has them");
        assertEquals(
                Set.of("grid", "pixels", "points"),
                names(schemas.path("BoxPlacement").path("properties")));
        assertTrue(names(schemas.path("Results").path("properties")).contains("markdown"));
        assertTrue(names(schemas.path("QuestionOutcome").path("properties")).contains("noAnswer"));
        assertFalse(schemas.has("GenericData") || schemas.has("Schema"), "no Avro internals: " + names(schemas));
        Wait.upTo(PATIENCE).until(() -> management().get("/q/health/ready").statusCode() == 200);
        // Only on the management port: the API port, which clients reach, serves neither.
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(404);
        management().get("/q/metrics").then().statusCode(200).body(containsString("kafka_stream"));
    }

    @Test
    void everyMetricTheDashboardQueriesForTheAssemblerIsExposed() {
        Set<String> queried = Dashboard.metricsOf("Assembler");
        assertTrue(queried.contains("kafka_stream_thread_process_rate"), "the Assembler row: " + queried);
        // Kafka Streams registers its metrics as its threads and clients start.
        Wait.upTo(PATIENCE)
                .untilAsserted(() -> assertEquals(
                        Set.of(),
                        Dashboard.missingFrom(management().get("/q/metrics").asString(), queried),
                        "queried by the dashboard, not exposed"));
    }

    @Test
    void theConfigurationMatchesTheCode() {
        assertEquals(AssemblerSettings.defaults(), config.settings(), "the documented defaults");
        List<String> topics = new ArrayList<>(AssemblerTopology.INPUT_TOPICS);
        topics.addAll(AssemblerTopology.OUTPUT_TOPICS);
        assertEquals(
                topics,
                ConfigProvider.getConfig().getValues("quarkus.kafka-streams.topics", String.class),
                "Quarkus waits for every topic the topology reads and writes");
    }

    private io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }
}
