package io.pagestream.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.Ingest;
import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.ingest.health.FaultSeam;
import io.pagestream.ingest.health.SupervisedThread;
import io.pagestream.ingest.publish.DocumentPublisher;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.pagestream.testing.Wait;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each background part of ingest broken as it breaks in production — an {@code Error} in the idempotency reader's and
 * in the status sender's thread (through their fault seams), the document producers fenced by another producer with
 * their transactional ids, every render slot held — takes readiness DOWN, and the service recovers by itself: a
 * fresh thread or producer, readiness UP, a keyed submission accepted. Last, a reader that keeps dying uses up its
 * restarts and liveness goes DOWN. Its own profile (short backoff, few restarts), so the given-up service is not the
 * one other test classes use.
 */
@QuarkusTest
@TestProfile(HealthTest.FastRestarts.class)
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthTest {
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    public static class FastRestarts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A constant 5 s backoff: long enough to see a part DOWN before it is back on a loaded 2-core CI machine,
            // short
            // enough to test quickly.
            return Map.of(
                    "pagestream.ingest.health.restart-backoff", "5s",
                    "pagestream.ingest.health.max-restart-backoff", "5s",
                    "pagestream.ingest.health.max-restarts", "4",
                    "pagestream.ingest.health.restart-window", "10m",
                    "pagestream.ingest.health.stuck-after", "20s",
                    "pagestream.ingest.health.slots-exhausted-after", "2s");
        }
    }

    @Inject
    Ingest ingest;

    /** Health is served on the management interface, apart from the API port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    @Order(1)
    void anErrorInTheIdempotencyReaderTakesReadinessDownUntilAFreshReaderTakesOver() {
        awaitReady();
        Set<String> before = readerThreads();
        FaultSeam faults = ingest.accepted().reader().faults();
        faults.failWith(new OutOfMemoryError("test: the idempotency reader runs out of memory"));
        try {
            awaitPart("accepted-documents", "DOWN");
            management().when().get("/q/health/live").then().statusCode(200);
        } finally {
            faults.repair();
        }
        awaitReady();
        Set<String> after = readerThreads();
        assertTrue(
                !after.isEmpty() && Collections.disjoint(before, after),
                "a fresh thread reads: " + before + " -> " + after);
        accepted(Submit.file("after-reader.png", TestFiles.png(90, 70)).key("health-reader-" + System.nanoTime()));
    }

    @Test
    @Order(2)
    void anErrorInTheStatusSenderTakesReadinessDownUntilAFreshSenderPublishesAgain() {
        awaitReady();
        FaultSeam faults = ingest.status().sender().faults();
        faults.failWith(new StackOverflowError("test: the status sender overflows its stack"));
        try {
            awaitPart("status-sender", "DOWN");
        } finally {
            faults.repair();
        }
        awaitReady();
        Response rejected = Submit.file("empty.png", new byte[0]).post();
        assertEquals(422, rejected.statusCode(), rejected.asString());
        DocumentStatus event = TopicRecorder.get()
                .await(rejected.jsonPath().getString("documentId"), DocumentStatus.class, l -> !l.isEmpty())
                .get(0);
        assertEquals(DocumentState.REJECTED, event.getState(), "the fresh sender's producer publishes");
    }

    @Test
    @Order(3)
    void fencedDocumentProducersTakeReadinessDownUntilTheyAreRebuiltInTheBackground() {
        awaitReady();
        // Both slots build their producers first, so fencing them leaves them stale.
        accepted(Submit.file("warm-0.png", TestFiles.png(80, 60)));
        accepted(Submit.file("warm-1.png", TestFiles.png(81, 60)));
        fence("pagestream-ingest-test-0", "pagestream-ingest-test-1");

        // Slots are taken in turn, so two submissions meet both fenced producers.
        for (int i = 0; i < 2; i++) {
            Response r = Submit.file("fenced-" + i + ".png", TestFiles.png(82 + i, 60))
                    .post();
            assertEquals(503, r.statusCode(), r.asString());
            assertEquals("KAFKA_UNAVAILABLE", r.jsonPath().getString("reason"));
        }
        Response ready = management().when().get("/q/health/ready");
        assertEquals(503, ready.statusCode(), ready.asString());
        assertTrue(part(ready, "document-producers").startsWith("DOWN"), ready.asString());

        awaitReady();
        accepted(Submit.file("after-fence.png", TestFiles.png(90, 71)).key("health-fence-" + System.nanoTime()));
    }

    @Test
    @Order(4)
    void renderSlotsHeldBeyondTheBoundTakeReadinessDownUntilOneComesBack() throws Exception {
        awaitReady();
        DocumentPublisher publisher = ingest.publisher();
        List<DocumentPublisher.Slot> held = new ArrayList<>();
        try {
            for (int i = 0; i < publisher.slots(); i++) {
                held.add(publisher.acquire(Duration.ofSeconds(10)));
            }
            awaitPart("render-slots", "DOWN");
            Response busy = Submit.file("busy.png", TestFiles.png(92, 60)).post();
            assertEquals(503, busy.statusCode(), busy.asString());
            assertEquals("BUSY", busy.jsonPath().getString("reason"));
        } finally {
            held.forEach(DocumentPublisher.Slot::close);
        }
        awaitReady();
        accepted(Submit.file("after-slots.png", TestFiles.png(93, 60)).key("health-slots-" + System.nanoTime()));
    }

    @Test
    @Order(5)
    void aReaderThatKeepsDyingIsGivenUpAndLivenessGoesDown() {
        awaitReady();
        management().when().get("/q/health/live").then().statusCode(200);
        ingest.accepted().reader().faults().failWith(new OutOfMemoryError("test: every reader runs out of memory"));
        Wait.upTo(RECOVERY)
                .alias("liveness DOWN once the reader died more often than max-restarts (4) allows")
                .until(() -> management().when().get("/q/health/live").statusCode() == 503);
        Response live = management().when().get("/q/health/live");
        assertTrue(part(live, "accepted-documents").startsWith("GAVE_UP"), live.asString());
        assertEquals(503, management().when().get("/q/health/ready").statusCode());
    }

    /** The names of the live threads reading for the idempotency table. */
    private Set<String> readerThreads() {
        SupervisedThread reader = ingest.accepted().reader();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("ingest-" + reader.name() + "-"))
                .collect(Collectors.toSet());
    }

    private static void accepted(Submit submit) {
        Response r = submit.post();
        assertEquals(202, r.statusCode(), r.asString());
    }

    private void awaitReady() {
        Wait.upTo(RECOVERY)
                .alias("readiness UP")
                .until(() -> management().when().get("/q/health/ready").statusCode() == 200);
    }

    private void awaitPart(String name, String state) {
        Wait.upTo(RECOVERY).alias("readiness naming " + name + " " + state).until(() -> {
            Response r = management().when().get("/q/health/ready");
            return r.statusCode() == 503 && part(r, name).startsWith(state);
        });
    }

    /** What the ingest check reports of {@code name}: "STATE: detail". */
    private static String part(Response health, String name) {
        String value = health.jsonPath().getString("checks.find { it.name == 'ingest' }.data.'" + name + "'");
        return value == null ? "" : value;
    }

    /** Another producer takes each transactional id, fencing ingest's. */
    static void fence(String... transactionalIds) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        for (String id : transactionalIds) {
            try (KafkaProducer<String, String> intruder = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            id),
                    new StringSerializer(),
                    new StringSerializer())) {
                intruder.initTransactions();
            }
        }
    }

    private RequestSpecification management() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }
}
