package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.Task;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.servicetest.TopicWriter;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.pagestream.topics.Deletions;
import io.pagestream.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/documents/{id}} on ingest, with authentication on and a stub in the assembler's place: the
 * assembler's answers pass through as they came, and a document ingest accepted but the assembler does not know is
 * ACCEPTED, never 404.
 */
@QuarkusTest
@TestProfile(DocumentStatusTest.AuthOn.class)
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = AssemblerStub.class, restrictToAnnotatedClass = true)
@IntegrationTest
class DocumentStatusTest {
    private static final String API_KEY = "status-key-3c9e1a7f5b2d8e4c6a0f";
    private static final String ACME_KEY = "acme-key-6d1f8b3a9c4e2f7a5b0d";
    private static final String GLOBEX_KEY = "globex-key-2b8e5d1a7f3c9e6b4a0d";
    /** The tenant of the quota test alone: the limit counts every test's documents of a tenant. */
    private static final String INITECH_KEY = "initech-key-8f2a6c0e4b9d1f5a3c7e";

    private static final int MAX_IN_FLIGHT = 5;

    AssemblerStub assembler;

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "pagestream.ingest.auth.enabled", "true",
                    "pagestream.ingest.auth.api-keys", API_KEY,
                    "pagestream.ingest.auth.tenants.acme.api-keys", ACME_KEY,
                    "pagestream.ingest.auth.tenants.globex.api-keys", GLOBEX_KEY,
                    "pagestream.ingest.auth.tenants.initech.api-keys", INITECH_KEY,
                    "pagestream.ingest.tenants.max-in-flight", String.valueOf(MAX_IN_FLIGHT),
                    "pagestream.ingest.id-secret", "7a6b5c4d3e2f10213243546576879808");
        }
    }

    @Test
    void aReadRightAfterTheAcceptAnswersAccepted() {
        Response accepted =
                Submit.file("a.png", TestFiles.png(100, 80)).apiKey(API_KEY).post();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("documentId");
        String statusUrl = accepted.jsonPath().getString("statusUrl");
        assertEquals("/v1/documents/" + id, statusUrl, "the status URL is ingest's own path");

        Response status = read(statusUrl);
        assertEquals(200, status.statusCode(), status.asString());
        JsonPath view = status.jsonPath();
        assertEquals(id, view.getString("documentId"));
        assertEquals("ACCEPTED", view.getString("state"));
        assertEquals(1, view.getInt("pageCount"));
        assertEquals(0, view.getInt("pagesDone"));
        assertEquals(List.of(0), view.getList("missingPages"));
        assertEquals(List.of(), view.getList("failedPages"));
        assertNotNull(view.getString("submittedAt"));
        assertNull(view.get("results"));
        assertTrue(assembler.requests().contains(statusUrl), "the assembler was asked first");
    }

    @Test
    void aDocumentAnotherInstanceAcceptedIsAcceptedUntilTheAssemblersRetentionHasPassed() {
        String recent = "other-instance-" + UUID.randomUUID();
        String old = "old-" + UUID.randomUUID();
        try (TopicWriter writer =
                new TopicWriter(config(PipelineStackResource.BOOTSTRAP), config(PipelineStackResource.REGISTRY))) {
            writer.sendNow(
                    request(recent, Instant.now()), request(old, Instant.now().minus(Duration.ofHours(25))));
        }
        Response status = read("/v1/documents/" + recent);
        assertEquals(200, status.statusCode(), status.asString());
        assertEquals("ACCEPTED", status.jsonPath().getString("state"));
        assertEquals(3, status.jsonPath().getInt("pageCount"));
        // Older than the assembler's retention: its 404 may mean it closed and removed the document.
        assertEquals(404, read("/v1/documents/" + old).statusCode());
    }

    @Test
    void anIdNobodyKnowsIsNotFound() {
        String id = "never-submitted-" + UUID.randomUUID();
        Response status = read("/v1/documents/" + id);
        assertEquals(404, status.statusCode());
        assertEquals(id, status.jsonPath().getString("documentId"));
        assertEquals(404, read("/v1/documents/not%20an%20id").statusCode());
    }

    @Test
    void theAssemblersAnswersPassUnchanged() {
        String id = "assembled-" + UUID.randomUUID();
        String body = "{\"documentId\":\"" + id + "\",\"state\":\"COMPLETED\",\"pageCount\":2,\"pagesDone\":2,"
                + "\"failedPages\":[],\"missingPages\":[],\"results\":null}";
        assembler.answer(id, new AssemblerStub.Canned(200, body, Map.of("X-Pagestream-Served-By", "assembler-1:8082")));
        Response status = read("/v1/documents/" + id + "?results=false");
        assertEquals(200, status.statusCode());
        assertEquals(body, status.asString());
        assertEquals("assembler-1:8082", status.header("X-Pagestream-Served-By"));
        assertTrue(status.contentType().startsWith("application/json"), status.contentType());
        assertTrue(
                assembler.requests().contains("/v1/documents/" + id + "?results=false"),
                assembler.requests().toString());

        String rebalancing = "rebalancing-" + UUID.randomUUID();
        String problem = "{\"documentId\":\"" + rebalancing + "\",\"error\":\"rebalancing\"}";
        assembler.answer(rebalancing, new AssemblerStub.Canned(503, problem, Map.of("Retry-After", "1")));
        Response unavailable = read("/v1/documents/" + rebalancing);
        assertEquals(503, unavailable.statusCode());
        assertEquals(problem, unavailable.asString());
        assertEquals("1", unavailable.header("Retry-After"));
    }

    @Test
    void aReadWithoutCredentialsIsRefused() {
        String id = "secret-" + UUID.randomUUID();
        assertEquals(401, given().when().get("/v1/documents/" + id).statusCode());
        assertEquals(
                401,
                given().header("X-API-Key", "wrong-key-0000000000000000000")
                        .when()
                        .get("/v1/documents/" + id)
                        .statusCode());
        assertFalse(assembler.requests().stream().anyMatch(r -> r.contains(id)), "nothing reached the assembler");
    }

    @Test
    void theAssemblerDownIsServiceUnavailableWithRetryAfter() {
        Response accepted =
                Submit.file("b.png", TestFiles.png(90, 70)).apiKey(API_KEY).post();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        assembler.down();
        try {
            Response status = read(accepted.jsonPath().getString("statusUrl"));
            assertEquals(503, status.statusCode(), status.asString());
            assertEquals("2", status.header("Retry-After"));
            assertEquals(
                    accepted.jsonPath().getString("documentId"),
                    status.jsonPath().getString("documentId"));
        } finally {
            assembler.up();
        }
    }

    @Test
    void anotherTenantsDocumentIsNotFoundAsAnUnknownOneFromTheAcceptOn() {
        Response accepted =
                Submit.file("t.png", TestFiles.png(60, 40)).apiKey(ACME_KEY).post();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("documentId");
        String statusUrl = accepted.jsonPath().getString("statusUrl");
        DocumentRequest published = TopicRecorder.get()
                .await(id, DocumentRequest.class, l -> !l.isEmpty())
                .getFirst();
        assertEquals("acme", published.getTenant(), "the tenant travels in the request");
        assertEquals(
                List.of("acme"),
                TopicRecorder.get().await(id, PageImage.class, l -> !l.isEmpty()).stream()
                        .map(PageImage::getTenant)
                        .toList());
        assertEquals(
                "acme",
                TopicRecorder.get()
                        .await(id, DocumentStatus.class, l -> !l.isEmpty())
                        .getFirst()
                        .getTenant());

        String unknown = "never-submitted-" + UUID.randomUUID();
        Response other = read(statusUrl, GLOBEX_KEY);
        assertEquals(404, other.statusCode(), other.asString());
        assertEquals(
                read("/v1/documents/" + unknown, GLOBEX_KEY).asString().replace(unknown, id),
                other.asString(),
                "the same answer as for an id nobody knows");
        assertEquals(404, read(statusUrl, API_KEY).statusCode(), "the default tenant is another tenant");
        assertEquals("ACCEPTED", read(statusUrl, ACME_KEY).jsonPath().getString("state"));

        String body = "{\"documentId\":\"" + id + "\",\"state\":\"COMPLETED\"}";
        assembler.answer("acme", id, new AssemblerStub.Canned(200, body, Map.of()));
        assertEquals(body, read(statusUrl, ACME_KEY).asString());
        assertEquals(404, read(statusUrl, GLOBEX_KEY).statusCode(), "nor once the assembler has it");
        List<String> named = assembler.tenants();
        assertEquals(List.of("acme", "globex"), named.subList(named.size() - 2, named.size()));
    }

    @Test
    void aTenantCannotTakeAnotherTenantsIdNorLearnWhoseItIs() {
        String id = "contract-" + UUID.randomUUID();
        byte[] png = TestFiles.png(70, 50);
        assertEquals(
                202,
                Submit.file("c.png", png).documentId(id).apiKey(ACME_KEY).post().statusCode());

        Response taken =
                Submit.file("c.png", png).documentId(id).apiKey(GLOBEX_KEY).post();
        assertEquals(409, taken.statusCode(), taken.asString());
        assertEquals("IDEMPOTENCY_CONFLICT", taken.jsonPath().getString("reason"));
        Response ownKeyed = Submit.file("c.png", png)
                .documentId(id)
                .key("acme-" + id)
                .apiKey(ACME_KEY)
                .post();
        assertEquals(409, ownKeyed.statusCode(), ownKeyed.asString());
        assertEquals(
                ownKeyed.jsonPath().getString("message"),
                taken.jsonPath().getString("message"),
                "the same words as to the owner using the id with another key");
        assertEquals(
                200,
                Submit.file("c.png", png).documentId(id).apiKey(ACME_KEY).post().statusCode());
    }

    @Test
    void anIdempotencyKeyIsEachTenantsOwn() {
        String key = "shared-key-" + UUID.randomUUID();
        byte[] png = TestFiles.png(50, 30);
        Response acme = Submit.file("k.png", png).key(key).apiKey(ACME_KEY).post();
        Response globex = Submit.file("k.png", png).key(key).apiKey(GLOBEX_KEY).post();
        assertEquals(202, acme.statusCode(), acme.asString());
        assertEquals(202, globex.statusCode(), "not a duplicate of acme's: " + globex.asString());
        assertNotEquals(
                acme.jsonPath().getString("documentId"), globex.jsonPath().getString("documentId"));
    }

    @Test
    void theOwnerDeletesItsDocumentAndThenNobodyReadsIt() {
        Response accepted =
                Submit.file("d.png", TestFiles.png(80, 60)).apiKey(ACME_KEY).post();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("documentId");
        String statusUrl = accepted.jsonPath().getString("statusUrl");

        assertEquals(401, given().when().delete(statusUrl).statusCode());
        Response foreign = delete(statusUrl, GLOBEX_KEY);
        assertEquals(404, foreign.statusCode(), foreign.asString());
        assertEquals(
                read("/v1/documents/never-" + UUID.randomUUID(), GLOBEX_KEY)
                        .jsonPath()
                        .getString("error"),
                foreign.jsonPath().getString("error"),
                "another tenant's document is unknown to it");
        assertEquals("ACCEPTED", read(statusUrl, ACME_KEY).jsonPath().getString("state"), "still there");

        Response deleted = delete(statusUrl, ACME_KEY);
        assertEquals(202, deleted.statusCode(), deleted.asString());
        assertEquals(id, deleted.jsonPath().getString("documentId"));
        assertEquals("DELETED", deleted.jsonPath().getString("state"));
        Wait.upTo(Duration.ofSeconds(30)).until(() -> TopicRecorder.get().all().stream()
                .anyMatch(r -> r.topic().equals(Topics.DOCUMENTS_REQUESTS.name())
                        && id.equals(r.key())
                        && r.value() == null
                        && Deletions.tenant(r.headers()).equals(Optional.of("acme"))));

        assembler.answer("acme", id, new AssemblerStub.Canned(200, "{\"state\":\"PROCESSING\"}", Map.of()));
        Response gone = read(statusUrl, ACME_KEY);
        assertEquals(404, gone.statusCode(), "not even while the assembler still has it: " + gone.asString());
        assertEquals(404, delete(statusUrl, ACME_KEY).statusCode(), "deleted already");
    }

    @Test
    void aDocumentOnlyTheAssemblerStillHoldsIsDeletedForItsTenantOnly() {
        String id = "assembled-only-" + UUID.randomUUID();
        assembler.answer("acme", id, new AssemblerStub.Canned(200, "{\"state\":\"COMPLETED\"}", Map.of()));
        assertEquals(404, delete("/v1/documents/" + id, GLOBEX_KEY).statusCode());
        assertEquals(202, delete("/v1/documents/" + id, ACME_KEY).statusCode());
        assertEquals(
                404,
                delete("/v1/documents/unknown-" + UUID.randomUUID(), ACME_KEY).statusCode());
    }

    @Test
    void aTenantAtItsLimitWaitsUntilOneOfItsDocumentsEnds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            Response accepted = Submit.file("q.png", TestFiles.png(40 + i, 30))
                    .apiKey(INITECH_KEY)
                    .post();
            assertEquals(202, accepted.statusCode(), accepted.asString());
            ids.add(accepted.jsonPath().getString("documentId"));
        }
        Response waits =
                Submit.file("q.png", TestFiles.png(39, 30)).apiKey(INITECH_KEY).post();
        assertEquals(429, waits.statusCode(), waits.asString());
        assertEquals("TENANT_QUOTA", waits.jsonPath().getString("reason"));
        assertEquals("2", waits.header("Retry-After"));
        assertTrue(waits.jsonPath().getString("message").contains("5 documents in flight"), waits.asString());
        assertEquals(
                202,
                Submit.file("q.png", TestFiles.png(38, 30))
                        .apiKey(GLOBEX_KEY)
                        .post()
                        .statusCode(),
                "another tenant is not held back");

        try (TopicWriter writer =
                new TopicWriter(config(PipelineStackResource.BOOTSTRAP), config(PipelineStackResource.REGISTRY))) {
            writer.sendNow(completed(ids.getFirst()));
        }
        Wait.upTo(Duration.ofSeconds(30))
                .until(() -> Submit.file("q.png", TestFiles.png(37, 30))
                                .apiKey(INITECH_KEY)
                                .post()
                                .statusCode()
                        == 202);
    }

    private static DocumentStatus completed(String id) {
        return DocumentStatus.newBuilder()
                .setDocumentId(id)
                .setState(DocumentState.COMPLETED)
                .setReasonCode(null)
                .setMessage(null)
                .setPageIndex(null)
                .setPagesDone(1)
                .setPageCount(1)
                .setMissingPages(List.of())
                .setAt(Instant.now())
                .setTraceparent(null)
                .setTenant("initech")
                .build();
    }

    private static Response delete(String path, String apiKey) {
        return given().header("X-API-Key", apiKey)
                .urlEncodingEnabled(false)
                .when()
                .delete(path);
    }

    private static Response read(String path) {
        return read(path, API_KEY);
    }

    private static Response read(String path, String apiKey) {
        return given().header("X-API-Key", apiKey)
                .urlEncodingEnabled(false)
                .when()
                .get(path);
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static DocumentRequest request(String id, Instant submittedAt) {
        return DocumentRequest.newBuilder()
                .setDocumentId(id)
                .setMediaType("application/pdf")
                .setSizeBytes(1000)
                .setSha256("00")
                .setPageCount(3)
                .setTasks(List.of(Task.OCR))
                .setSubmittedAt(submittedAt)
                // Every field set: the builder's defaults are read through a class loader other than the test's.
                .setIdempotencyKey(null)
                .setFileName(null)
                .setQuestions(List.of())
                .setMetadata(Map.of())
                .setTraceparent(null)
                .setOcrMode(OcrMode.MARKDOWN)
                .setGroundAnswers(false)
                .setTenant("default")
                .build();
    }
}
