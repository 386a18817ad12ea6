package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.ingest.auth.Tenants;
import io.pagestream.ingest.idempotency.DocumentIds;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.OcrMode;
import io.pagestream.schema.PageImage;
import io.pagestream.schema.SourcePage;
import io.pagestream.schema.Task;
import io.pagestream.servicetest.Dashboard;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST API against the real broker and registry, observed as downstream observes it (committed records only):
 * documents of every format go through whole; retries do not duplicate; every class of bad input gets its reason
 * code and a REJECTED event, and the next good document still goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class IngestApiTest {
    /** The management interface (health, metrics, OpenAPI), on its own port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    static final TopicRecorder topics() {
        return TopicRecorder.get();
    }

    @Test
    void pdfBecomesOneRequestAndOnePagePerPageInOneTransaction() throws IOException {
        String key = "api-pdf-" + System.nanoTime();
        Response r = Submit.file("report.pdf", TestFiles.pdf(3, true, true))
                .key(key)
                .questions("What is the title?")
                .metadata("{\"customer\":\"acme\"}")
                .post();
        assertEquals(202, r.statusCode(), r.asString());
        String id = r.jsonPath().getString("documentId");
        assertEquals(
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, key, Optional.empty()),
                id,
                "the id derives from the idempotency key");
        assertEquals("/v1/documents/" + id, r.jsonPath().getString("statusUrl"));
        assertEquals(3, r.jsonPath().getInt("pageCount"));
        assertEquals("application/pdf", r.jsonPath().getString("mediaType"));

        DocumentRequest request =
                topics().await(id, DocumentRequest.class, l -> !l.isEmpty()).get(0);
        assertEquals(3, request.getPageCount());
        assertEquals(List.of(Task.OCR, Task.QA), request.getTasks());
        assertEquals(List.of("What is the title?"), request.getQuestions());
        assertEquals("acme", request.getMetadata().get("customer"));
        assertEquals(key, request.getIdempotencyKey());
        assertEquals("report.pdf", request.getFileName());
        assertEquals(64, request.getSha256().length());
        assertEquals(OcrMode.MARKDOWN, request.getOcrMode(), "the configured default mode");
        assertFalse(request.getGroundAnswers());
        assertEquals("default", request.getTenant(), "authentication off: every caller is the default tenant");

        List<PageImage> pages = topics().await(id, PageImage.class, l -> l.size() >= 3);
        assertEquals(3, pages.size());
        for (PageImage p : pages.stream()
                .sorted(Comparator.comparingInt(PageImage::getPageIndex))
                .toList()) {
            assertEquals(3, p.getPageCount());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes(p)));
            assertEquals(p.getWidth(), img.getWidth());
            assertEquals(p.getHeight(), img.getHeight());
            assertEquals(1344, p.getHeight(), "A4 rendered for a 2 x 3 tile grid");
            SourcePage source = p.getSourcePage();
            assertEquals(595.2756, source.getWidthPoints(), 1e-3, "A4 in points");
            assertEquals(841.8898, source.getHeightPoints(), 1e-3);
            assertEquals(p.getHeight(), Math.floor(source.getHeightPoints() * source.getRenderScale()), 1.0);
            assertEquals(p.getWidth(), Math.floor(source.getWidthPoints() * source.getRenderScale()), 1.0);
            assertEquals(OcrMode.MARKDOWN, p.getOcrMode());
            assertFalse(p.getGroundAnswers());
            assertTrue(p.getMediaType().equals("image/png") || p.getMediaType().equals("image/jpeg"));
        }
        assertEquals(
                List.of(0, 1, 2),
                pages.stream().map(PageImage::getPageIndex).sorted().toList());
        DocumentStatus accepted =
                topics().await(id, DocumentStatus.class, l -> !l.isEmpty()).get(0);
        assertEquals(DocumentState.ACCEPTED, accepted.getState());
        assertEquals(3, accepted.getPageCount());
    }

    @Test
    void modeAndGroundingReachTheRequestAndEveryPage() {
        record Case(String mode, String ground, OcrMode expectedMode, boolean expectedGround) {}
        for (Case c : List.of(
                new Case("layout", "true", OcrMode.LAYOUT, true),
                new Case("Text", "FALSE", OcrMode.TEXT, false),
                new Case("MARKDOWN", null, OcrMode.MARKDOWN, false))) {
            Submit submit = Submit.file("two.tif", TestFiles.tiff(2, 300, 400))
                    .questions("Who?")
                    .mode(c.mode);
            String id = accept(c.ground == null ? submit : submit.groundAnswers(c.ground));
            DocumentRequest request =
                    topics().await(id, DocumentRequest.class, l -> !l.isEmpty()).get(0);
            assertEquals(c.expectedMode, request.getOcrMode(), c.toString());
            assertEquals(c.expectedGround, request.getGroundAnswers(), c.toString());
            List<PageImage> pages = topics().await(id, PageImage.class, l -> l.size() >= 2);
            for (PageImage p : pages) {
                assertEquals(c.expectedMode, p.getOcrMode(), c.toString());
                assertEquals(c.expectedGround, p.getGroundAnswers(), c.toString());
                assertEquals(new SourcePage(300.0, 400.0, 1.0), p.getSourcePage(), "a small scan, not shrunk");
            }
        }
    }

    @Test
    void aRetryReturnsTheSameDocumentAndPublishesNothingNew() {
        String key = "api-retry-" + System.nanoTime();
        byte[] png = TestFiles.png(640, 480);
        Response first = Submit.file("a.png", png).key(key).post();
        assertEquals(202, first.statusCode(), first.asString());
        String id = first.jsonPath().getString("documentId");
        topics().await(id, DocumentStatus.class, l -> !l.isEmpty());

        Response again = Submit.file("a.png", png).keyHeader(key).post();
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(id, again.jsonPath().getString("documentId"));
        assertTrue(again.jsonPath().getBoolean("duplicate"));

        Response other = Submit.file("b.png", TestFiles.png(200, 100)).key(key).post();
        assertEquals(409, other.statusCode(), "same key, different file: " + other.asString());
        assertEquals("IDEMPOTENCY_CONFLICT", other.jsonPath().getString("reason"));

        // A later document is visible: had the retry published anything, it would be visible by now too.
        String marker = accept(Submit.file("m.png", TestFiles.png(50, 50)));
        topics().await(marker, DocumentStatus.class, l -> !l.isEmpty());
        assertEquals(1, topics().records(id, DocumentRequest.class).size());
        assertEquals(1, topics().records(id, PageImage.class).size());
        assertEquals(1, topics().records(id, DocumentStatus.class).size());
    }

    @Test
    void aKeyIsOneKeyAsFormFieldOrAsHeader() {
        // Characters whose UTF-8 bytes the test's HTTP client passes through unchanged (none in 0x80-0x9F).
        String key = "cl\u00e9-\u00f1\u00f8-" + System.nanoTime();
        byte[] png = TestFiles.png(230, 120);
        Response form = Submit.file("k.png", png).key(key).post();
        assertEquals(202, form.statusCode(), form.asString());
        String id = form.jsonPath().getString("documentId");
        assertEquals(DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, key, Optional.empty()), id);
        DocumentRequest request =
                topics().await(id, DocumentRequest.class, l -> !l.isEmpty()).get(0);
        assertEquals(key, request.getIdempotencyKey(), "the form field arrives as sent");

        Response header = Submit.file("k.png", png).keyHeader(key).post();
        assertEquals(200, header.statusCode(), "the header's UTF-8 bytes are the same key: " + header.asString());
        assertEquals(id, header.jsonPath().getString("documentId"));
    }

    @Test
    void aKeyReusedForAnotherRequestIsAConflictAndTheSameRequestADuplicate() {
        String key = "api-reuse-" + System.nanoTime();
        byte[] png = TestFiles.png(210, 110);
        Response first =
                Submit.file("r.png", png).key(key).questions("What is shown?").post();
        assertEquals(202, first.statusCode(), first.asString());
        String id = first.jsonPath().getString("documentId");

        for (Submit other : List.of(
                Submit.file("r.png", png).key(key).questions("Who signed?"),
                Submit.file("r.png", png).key(key).questions("What is shown?", "Who signed?"),
                Submit.file("r.png", png).key(key).questions("What is shown?").mode("layout"),
                Submit.file("r.png", png).key(key).questions("What is shown?").groundAnswers("true"),
                Submit.file("r.png", png).key(key).questions("What is shown?").metadata("{\"a\":\"b\"}"))) {
            Response r = other.post();
            assertEquals(409, r.statusCode(), r.asString());
            assertEquals("IDEMPOTENCY_CONFLICT", r.jsonPath().getString("reason"));
            assertEquals(id, r.jsonPath().getString("documentId"));
        }
        Response same = Submit.file("again.png", png)
                .keyHeader(key)
                .questions(" What is shown? ")
                .tasks("qa,ocr")
                .mode("MARKDOWN")
                .post();
        assertEquals(200, same.statusCode(), "the same request, spelled differently: " + same.asString());
        assertEquals(id, same.jsonPath().getString("documentId"));

        String marker = accept(Submit.file("m2.png", TestFiles.png(51, 50)));
        topics().await(marker, DocumentStatus.class, l -> !l.isEmpty());
        List<DocumentRequest> requests = topics().records(id, DocumentRequest.class);
        assertEquals(1, requests.size());
        assertEquals(List.of("What is shown?"), requests.get(0).getQuestions());
    }

    @Test
    void clientChosenDocumentIdIsKeptAndCannotBeTakenTwice() {
        String id = "client-doc-" + System.nanoTime();
        // Authentication is off here: an API key the client happens to send is ignored.
        Response r = Submit.file("x.png", TestFiles.png(100, 100))
                .documentId(id)
                .apiKey("whatever")
                .post();
        assertEquals(202, r.statusCode(), r.asString());
        assertEquals(id, r.jsonPath().getString("documentId"));
        Response taken =
                Submit.file("y.png", TestFiles.png(120, 100)).documentId(id).post();
        assertEquals(409, taken.statusCode());
        Response bad = Submit.file("y.png", TestFiles.png(120, 100))
                .documentId("has/slash")
                .post();
        assertEquals(400, bad.statusCode());
        assertEquals("INVALID_REQUEST", bad.jsonPath().getString("reason"));
        Response dots =
                Submit.file("y.png", TestFiles.png(120, 100)).documentId("..").post();
        assertEquals(400, dots.statusCode(), "unreachable as /v1/documents/..: " + dots.asString());
        assertEquals("INVALID_REQUEST", dots.jsonPath().getString("reason"));
    }

    @Test
    void aClientCannotTakeTheIdAnotherClientsKeyMapsTo() {
        String key = "victim-" + System.nanoTime();
        Response squat = Submit.file("s.png", TestFiles.png(90, 90))
                .documentId(DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, key, Optional.empty()))
                .post();
        assertEquals(400, squat.statusCode(), squat.asString());
        assertEquals("INVALID_REQUEST", squat.jsonPath().getString("reason"));
        Response owner = Submit.file("v.png", TestFiles.png(95, 90)).key(key).post();
        assertEquals(202, owner.statusCode(), owner.asString());
        assertEquals(
                DocumentIds.fromIdempotencyKey(Tenants.DEFAULT, key, Optional.empty()),
                owner.jsonPath().getString("documentId"));
    }

    @Test
    void everyFormatIsDecidedByContentNotByName() throws IOException {
        record Case(String name, byte[] data, String mediaType, int pages) {}
        for (Case c : List.of(
                new Case("scan.pdf", TestFiles.tiff(2, 500, 700), "image/tiff", 2),
                new Case("photo.tiff", TestFiles.jpegWithOrientation(800, 600, 6), "image/jpeg", 1),
                new Case("picture.jpg", TestFiles.resourceBytes("/images/red-blue-lossy.webp"), "image/webp", 1),
                new Case("document", TestFiles.png(900, 1200), "image/png", 1),
                new Case("book.png", TestFiles.pdf(2, false, false), "application/pdf", 2))) {
            Response r = Submit.file(c.name, c.data).post();
            assertEquals(202, r.statusCode(), c.name + ": " + r.asString());
            assertEquals(c.mediaType, r.jsonPath().getString("mediaType"), c.name);
            String id = r.jsonPath().getString("documentId");
            List<PageImage> pages = topics().await(id, PageImage.class, l -> l.size() >= c.pages);
            assertEquals(c.pages, pages.size(), c.name);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes(pages.get(0))));
            assertNotNull(img, c.name);
            if (c.mediaType.equals("image/jpeg")) {
                assertTrue(img.getHeight() > img.getWidth(), "EXIF orientation 6 makes the landscape photo upright");
            }
        }
    }

    static Stream<Arguments> badInputs() {
        byte[] big = new byte[4 * 1024 * 1024 + 1000];
        new Random(1).nextBytes(big);
        byte[] huge = new byte[6 * 1024 * 1024];
        return Stream.of(
                Arguments.of("TOO_LARGE", 413, Submit.file("big.pdf", big)),
                Arguments.of(
                        "TOO_LARGE (Content-Length)",
                        413,
                        Submit.file("huge.pdf", huge).keyHeader("huge-" + System.nanoTime())),
                Arguments.of("TOO_MANY_PAGES", 422, Submit.file("long.pdf", TestFiles.pdf(61, false, false))),
                Arguments.of("TOO_MANY_PAGES (TIFF)", 422, Submit.file("long.tif", TestFiles.tiff(61, 20, 20))),
                Arguments.of("TOO_MANY_PIXELS", 422, Submit.file("wide.png", TestFiles.pngDeclaring(100_000, 100_000))),
                Arguments.of("TOO_MANY_PIXELS (PNG bomb)", 422, Submit.file("bomb.png", TestFiles.pngBomb(8000, 8000))),
                Arguments.of(
                        "TOO_MANY_PIXELS (PDF huge page)",
                        422,
                        Submit.file("poster.pdf", TestFiles.hugePagePdf(100_000))),
                Arguments.of(
                        "TOO_MANY_PIXELS (PDF image bomb)",
                        422,
                        Submit.file("img.pdf", TestFiles.imageBombPdf(50_000, 50_000))),
                Arguments.of("DECOMPRESSION_BOMB", 422, Submit.file("zip.pdf", TestFiles.flateBombPdf(40L << 20))),
                Arguments.of(
                        "TOO_MANY_QUESTIONS",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).questions("a?", "b?", "c?", "d?")),
                Arguments.of(
                        "QUESTION_TOO_LONG",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).questions("x".repeat(201))),
                Arguments.of("ENCRYPTED", 422, Submit.file("secret.pdf", TestFiles.encryptedPdf())),
                Arguments.of("CORRUPT_FILE", 422, Submit.file("broken.pdf", TestFiles.corruptPdf())),
                Arguments.of(
                        "CORRUPT_FILE (truncated PNG)",
                        422,
                        Submit.file("cut.png", java.util.Arrays.copyOf(TestFiles.png(600, 400), 300))),
                Arguments.of("EMPTY", 422, Submit.file("nothing.pdf", new byte[0])),
                Arguments.of(
                        "UNSUPPORTED_FORMAT",
                        415,
                        Submit.file("animation.pdf", TestFiles.encode(TestFiles.stripes(20, 20), "gif"))),
                Arguments.of("UNSUPPORTED_FORMAT (text)", 415, Submit.file("notes.pdf", "just some text".getBytes())),
                Arguments.of(
                        "UNSUPPORTED_FORMAT (an Office file holding a PDF)",
                        415,
                        Submit.file(
                                "report.pdf",
                                TestFiles.zipStoring("word/media/report.pdf", TestFiles.pdf(1, false, false)))),
                Arguments.of(
                        "INVALID_REQUEST",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).tasks("OCR,TRANSLATE")),
                Arguments.of(
                        "INVALID_REQUEST (QA without questions)",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).tasks("QA")),
                Arguments.of(
                        "INVALID_REQUEST (metadata)",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).metadata("[1,2]")),
                Arguments.of(
                        "INVALID_REQUEST (mode)",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).mode("handwriting")),
                Arguments.of(
                        "INVALID_REQUEST (groundAnswers)",
                        400,
                        Submit.file("q.png", TestFiles.png(50, 50)).groundAnswers("yes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithAReasonAndTheNextGoodDocumentGoesThrough(String label, int status, Submit bad) {
        String reason = label.split(" ")[0];
        Response r = bad.post();
        assertEquals(status, r.statusCode(), label + ": " + r.asString());
        assertEquals(reason, r.jsonPath().getString("reason"), r.asString());
        String message = r.jsonPath().getString("message");
        assertTrue(message != null && message.length() > 10, "a clear message: " + message);
        String id = r.jsonPath().getString("documentId");
        if (id != null) {
            DocumentStatus rejected =
                    topics().await(id, DocumentStatus.class, l -> !l.isEmpty()).get(0);
            assertEquals(DocumentState.REJECTED, rejected.getState());
            assertEquals(reason, rejected.getReasonCode());
            assertEquals(message, rejected.getMessage());
        } else {
            assertEquals("INVALID_REQUEST", reason, "only a request without a usable id has no event");
        }
        String next = accept(Submit.file("next.png", TestFiles.png(300, 200)));
        assertEquals(
                DocumentState.ACCEPTED,
                topics().await(next, DocumentStatus.class, l -> !l.isEmpty())
                        .get(0)
                        .getState());
        if (id != null) {
            assertTrue(topics().records(id, DocumentRequest.class).isEmpty(), "nothing else published for " + id);
            assertTrue(topics().records(id, PageImage.class).isEmpty());
        }
    }

    @Test
    void uploadsAndSpoolsAreDeleted() throws Exception {
        accept(Submit.file("clean.pdf", TestFiles.pdf(2, false, true)));
        Submit.file("broken.pdf", TestFiles.corruptPdf()).post();
        Path uploads =
                Path.of(ConfigProvider.getConfig().getValue("quarkus.http.body.uploads-directory", String.class));
        Path work = Path.of(ConfigProvider.getConfig().getValue("pagestream.ingest.work-directory", String.class));
        Wait.atMost(Duration.ofSeconds(30), () -> count(uploads) + count(work) == 0);
        assertEquals(0, count(uploads), "uploads left in " + uploads);
        assertEquals(0, count(work), "spools left in " + work);
    }

    @Test
    void metricsHealthAndOpenApi() {
        accept(Submit.file("m.png", TestFiles.png(64, 64)));
        Submit.file("secret.pdf", TestFiles.encryptedPdf()).post();
        String metrics = management()
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String name : List.of(
                "pagestream_ingest_documents_total",
                "pagestream_ingest_pages_total",
                "pagestream_ingest_bytes_total",
                "pagestream_ingest_rejected_total{reason=\"ENCRYPTED\"",
                "pagestream_ingest_in_flight",
                "pagestream_ingest_document_seconds_count")) {
            assertTrue(metrics.contains(name), "metric " + name);
        }
        management().when().get("/q/health/ready").then().statusCode(200);
        management().when().get("/q/health/live").then().statusCode(200);
        // Not on the API port, which is all the Ingress and the NetworkPolicies let clients reach.
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
        String openapi = management()
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                openapi.contains("/v1/documents")
                        && openapi.contains("multipart/form-data")
                        && openapi.contains("idempotencyKey")
                        && openapi.contains("\"202\""),
                openapi);
        assertTrue(
                openapi.contains("groundAnswers") && openapi.contains("- layout"),
                "mode and groundAnswers: " + openapi);
    }

    @Test
    void everyMetricTheDashboardQueriesForIngestIsExposed() {
        accept(Submit.file("d.png", TestFiles.png(64, 64)));
        Submit.file("secret.pdf", TestFiles.encryptedPdf()).post();
        String metrics = management()
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Set<String> queried = Dashboard.metricsOf("Ingest");
        assertTrue(queried.contains("pagestream_ingest_documents_total"), "the Ingest row: " + queried);
        assertEquals(Set.of(), Dashboard.missingFrom(metrics, queried), "queried by the dashboard, not exposed");
    }

    static String accept(Submit submit) {
        Response r = submit.post();
        assertEquals(202, r.statusCode(), r.asString());
        assertFalse(r.jsonPath().getBoolean("duplicate"));
        return r.jsonPath().getString("documentId");
    }

    private static long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    static byte[] bytes(PageImage p) {
        java.nio.ByteBuffer b = p.getImage().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }
}
