package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pagestream.ingest.BombFiles;
import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.fuzz.MultipartBody;
import io.pagestream.ingest.fuzz.RawHttp;
import io.pagestream.ingest.limits.Reason;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.ingest.render.isolated.RenderIsolationTest;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.Concurrently;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reason code ingest answers, provoked for real over a socket — by the input that causes it or, for the
 * reasons that come from the service's state, by putting the service in that state (slots held, producers fenced,
 * the work directory unusable, a request thread interrupted as a stopping service interrupts it) — and answered with
 * the status {@link SubmissionResponses} gives it, and Retry-After with every 503. It walks {@link Reason#values()}:
 * a new reason fails here until it has a case. The HTTP-level refusals made before the endpoint runs come last.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class ReasonCodesTest {
    private static final String BOUNDARY = "reason-codes";
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    @Inject
    Ingest ingest;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Puts the service in the state a reason needs, sends the request that meets it, and restores the state. */
    @FunctionalInterface
    interface Provocation {
        RawHttp.Answer answer() throws Exception;
    }

    private Map<Reason, Provocation> provocations() {
        Map<Reason, Provocation> p = new EnumMap<>(Reason.class);
        p.put(Reason.UNSUPPORTED_FORMAT, () -> post(file(TestFiles.encode(TestFiles.stripes(20, 20), "gif"))));
        p.put(Reason.CORRUPT_FILE, () -> post(file(TestFiles.corruptPdf())));
        p.put(Reason.ENCRYPTED, () -> post(file(TestFiles.encryptedPdf())));
        p.put(Reason.EMPTY, () -> post(file(new byte[0])));
        p.put(Reason.TOO_LARGE, () -> {
            byte[] big = new byte[4 * 1024 * 1024 + 1000];
            new Random(1).nextBytes(big);
            return post(file(big));
        });
        p.put(Reason.TOO_MANY_PAGES, () -> post(file(TestFiles.pdf(61, false, false))));
        p.put(Reason.TOO_MANY_PIXELS, () -> post(file(TestFiles.pngDeclaring(100_000, 100_000))));
        p.put(
                Reason.TOO_MANY_QUESTIONS,
                () -> post(png().field("question", "a?")
                        .field("question", "b?")
                        .field("question", "c?")
                        .field("question", "d?")));
        p.put(Reason.QUESTION_TOO_LONG, () -> post(png().field("question", "x".repeat(201))));
        p.put(Reason.DECOMPRESSION_BOMB, () -> post(file(TestFiles.flateBombPdf(40L << 20))));
        p.put(Reason.INVALID_REQUEST, () -> post(png().field("tasks", "OCR,TRANSLATE")));
        p.put(Reason.IDEMPOTENCY_CONFLICT, () -> {
            String key = "reason-conflict-" + System.nanoTime();
            assertEquals(
                    202,
                    post(file(TestFiles.png(50, 40)).field("idempotencyKey", key))
                            .status());
            return post(file(TestFiles.png(51, 40)).field("idempotencyKey", key));
        });
        p.put(Reason.IN_PROGRESS, this::inProgress);
        p.put(Reason.BUSY, () -> withSlotsHeld(() -> post(png())));
        p.put(Reason.KAFKA_UNAVAILABLE, this::kafkaUnavailable);
        p.put(Reason.STORAGE, this::storage);
        p.put(Reason.SHUTTING_DOWN, () -> withSlotsHeld(this::interruptedWhileWaitingForASlot));
        p.put(Reason.RENDER_MEMORY, () -> post(file(BombFiles.hugeTransformImage(6000))));
        p.put(Reason.RENDER_FAILED, () -> post(file(BombFiles.recursiveType3Glyph())));
        return p;
    }

    /**
     * Reasons whose provocation needs settings this class's service does not run with, and the test that provokes each
     * for real: a page deadline short enough for a test (here it is the default minute), a tenant quota (which would
     * refuse this class's other cases once its documents fill it).
     */
    private static final Map<Reason, Class<?>> PROVOKED_ELSEWHERE = Map.of(
            Reason.RENDER_TIMEOUT, RenderIsolationTest.class,
            Reason.TENANT_QUOTA, DocumentStatusTest.class);

    @TestFactory
    Stream<DynamicTest> everyReasonIsAnsweredWithItsStatusAndCode() {
        Map<Reason, Provocation> provocations = provocations();
        return Arrays.stream(Reason.values())
                .filter(reason -> !PROVOKED_ELSEWHERE.containsKey(reason))
                .map(reason -> dynamicTest(reason.code(), () -> {
                    Provocation provocation = provocations.get(reason);
                    assertNotNull(provocation, "no case here provokes " + reason + ": add one");
                    RawHttp.Answer answer = provocation.answer();
                    assertEquals(SubmissionResponses.status(reason), answer.status(), reason + ": " + answer);
                    assertEquals(reason.code(), answer.reason(), answer.toString());
                    assertTrue(answer.body().contains("\"message\":\""), answer.toString());
                    if (answer.status() == 503) {
                        assertTrue(answer.hasHeader("Retry-After"), "503 without Retry-After: " + answer.head());
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> refusalsBeforeTheEndpointRunsCarryAReasonToo() {
        RawHttp http = http();
        byte[] good = png().bytes();
        return Stream.of(
                dynamicTest("413 TOO_LARGE from the declared Content-Length", () -> {
                    String head = "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                            + "Content-Length: " + (64L << 20) + "\r\nConnection: close\r\n\r\n";
                    assertRefused(
                            413, "TOO_LARGE", http.exchange(head.getBytes(StandardCharsets.ISO_8859_1), new byte[0]));
                }),
                dynamicTest("503 STORAGE: an upload cannot be written", () -> {
                    RawHttp.Answer answer = withDirectoryUnusable(
                            "quarkus.http.body.uploads-directory",
                            () -> http.post("/v1/documents", png().contentType(), good));
                    assertRefused(503, "STORAGE", answer);
                    assertTrue(answer.hasHeader("Retry-After"), answer.head());
                }),
                dynamicTest(
                        "415 UNSUPPORTED_FORMAT: not a form",
                        () -> assertRefused(
                                415,
                                "UNSUPPORTED_FORMAT",
                                http.post("/v1/documents", "image/png", TestFiles.png(20, 20)))),
                dynamicTest(
                        "400 INVALID_REQUEST: a form that cannot be read",
                        () -> assertRefused(
                                400,
                                "INVALID_REQUEST",
                                http.post(
                                        "/v1/documents",
                                        "multipart/form-data; boundary=" + BOUNDARY,
                                        Arrays.copyOf(good, good.length - 10)))));
    }

    private static void assertRefused(int status, String reason, RawHttp.Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(reason, answer.reason(), answer.toString());
    }

    /** A keyed document still rendering when the same key comes again. */
    private RawHttp.Answer inProgress() throws Exception {
        String key = "reason-in-progress-" + System.nanoTime();
        byte[] slow = TestFiles.pdf(59, false, false);
        CompletableFuture<RawHttp.Answer> first =
                Concurrently.supply("first submission", () -> post(file(slow).field("idempotencyKey", key)));
        Wait.upTo(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .alias("the first submission rendering")
                .until(() -> requestThreadIn("io.pagestream.ingest.render.").isPresent());
        RawHttp.Answer second = post(file(slow).field("idempotencyKey", key));
        assertEquals(202, first.get().status(), "the first one goes on: " + first.get());
        return second;
    }

    /** The slots' transactional producers fenced by another producer: the publish cannot commit. */
    private RawHttp.Answer kafkaUnavailable() {
        awaitReady();
        // Slots are taken in turn: two documents build both producers, and the next meets a fenced one.
        assertEquals(202, post(png()).status());
        assertEquals(202, post(png()).status());
        String instance = ConfigProvider.getConfig().getValue("pagestream.ingest.instance-id", String.class);
        HealthTest.fence("pagestream-ingest-" + instance + "-0", "pagestream-ingest-" + instance + "-1");
        RawHttp.Answer answer = post(png());
        RawHttp.Answer other = post(png());
        assertEquals(503, other.status(), "the other slot's producer is fenced too: " + other);
        awaitReady();
        return answer;
    }

    /** The work directory replaced by a file: the page spool cannot be created. */
    private RawHttp.Answer storage() throws Exception {
        return withDirectoryUnusable("pagestream.ingest.work-directory", () -> post(png()));
    }

    /** The directory that {@code key} names replaced by a file while {@code provocation} runs. */
    private static RawHttp.Answer withDirectoryUnusable(String key, Provocation provocation) throws Exception {
        Path work = Path.of(ConfigProvider.getConfig().getValue(key, String.class));
        Wait.upTo(RECOVERY).alias("an empty " + work).until(() -> {
            try (Stream<Path> files = Files.list(work)) {
                return files.findAny().isEmpty();
            }
        });
        Files.delete(work);
        Files.writeString(work, "not a directory");
        try {
            return provocation.answer();
        } finally {
            Files.delete(work);
            Files.createDirectories(work);
        }
    }

    /** A submission waiting for a slot when its thread is interrupted, as a stopping service interrupts it. */
    private RawHttp.Answer interruptedWhileWaitingForASlot() throws Exception {
        CompletableFuture<RawHttp.Answer> waiting = Concurrently.supply("waiting submission", () -> post(png()));
        Thread[] found = new Thread[1];
        Wait.upTo(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .alias("a request waiting for a slot")
                .until(() -> {
                    Optional<Thread> t = requestThreadIn(DocumentPublisher.class.getName() + ".acquire");
                    t.ifPresent(thread -> found[0] = thread);
                    return t.isPresent();
                });
        found[0].interrupt();
        return waiting.get();
    }

    private RawHttp.Answer withSlotsHeld(Provocation provocation) throws Exception {
        DocumentPublisher publisher = ingest.publisher();
        List<DocumentPublisher.Slot> held = new ArrayList<>();
        try {
            for (int i = 0; i < publisher.slots(); i++) {
                held.add(publisher.acquire(Duration.ofSeconds(30)));
            }
            return provocation.answer();
        } finally {
            held.forEach(DocumentPublisher.Slot::close);
        }
    }

    /** A thread serving a submission whose stack is in code starting with {@code frame}. */
    private static Optional<Thread> requestThreadIn(String frame) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue())
                                .anyMatch(f -> (f.getClassName() + "." + f.getMethodName()).startsWith(frame))
                        && Arrays.stream(e.getValue())
                                .anyMatch(f -> f.getClassName().equals(DocumentsResource.class.getName())))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private void awaitReady() {
        Wait.upTo(RECOVERY)
                .alias("readiness UP")
                .until(() -> RestAssured.given()
                                .baseUri("http://" + management.getHost())
                                .port(management.getPort())
                                .get("/q/health/ready")
                                .statusCode()
                        == 200);
    }

    private static MultipartBody file(byte[] data) {
        return new MultipartBody(BOUNDARY).file("document", data);
    }

    private static MultipartBody png() {
        return file(TestFiles.png(64, 48));
    }

    private static RawHttp http() {
        return new RawHttp("localhost", RestAssured.port, 60_000);
    }

    private static RawHttp.Answer post(MultipartBody form) {
        return http().post("/v1/documents", form.contentType(), form.bytes());
    }
}
