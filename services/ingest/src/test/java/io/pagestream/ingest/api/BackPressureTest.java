package io.pagestream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagestream.ingest.TestFiles;
import io.pagestream.ingest.TopicRecorder;
import io.pagestream.schema.DocumentRequest;
import io.pagestream.schema.DocumentState;
import io.pagestream.schema.DocumentStatus;
import io.pagestream.schema.PageImage;
import io.pagestream.servicetest.PipelineStackResource;
import io.pagestream.testing.IntegrationTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops answering (the broker process is frozen with SIGSTOP): submissions are answered 503 with Retry-After
 * within the publish timeout — those holding a slot when their transaction cannot commit, the rest at once when every
 * slot is busy — instead of piling up in memory; none of them ever shows half a document; and once the broker is
 * back (SIGCONT) the next document goes through.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineStackResource.class, restrictToAnnotatedClass = false)
@IntegrationTest
class BackPressureTest {

    @Test
    void slowKafkaGets503WithRetryAfterAndTheNextDocumentGoesThroughAfterwards() throws Exception {
        IngestApiTest.accept(Submit.file("warm.png", TestFiles.png(100, 100)));
        ProcessHandle broker = ProcessHandle.current()
                .descendants()
                .filter(BackPressureTest::isBroker)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no broker child process found"));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Response> answers = new ArrayList<>();
        long started;
        long took;
        signal("STOP", broker);
        try {
            started = System.nanoTime();
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                futures.add(clients.submit(() -> Submit.file("p" + n + ".png", TestFiles.png(300 + n, 200))
                        .post()));
            }
            futures.add(clients.submit(() -> Submit.file("k.png", TestFiles.png(333, 222))
                    .key("paused-" + System.nanoTime())
                    .post()));
            for (Future<Response> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            took = System.nanoTime() - started;
        } finally {
            signal("CONT", broker);
            clients.shutdownNow();
        }
        List<String> reasons = new ArrayList<>();
        for (Response r : answers) {
            assertEquals(503, r.statusCode(), r.asString());
            assertEquals("2", r.header("Retry-After"), "Retry-After on " + r.asString());
            reasons.add(r.jsonPath().getString("reason"));
        }
        assertTrue(reasons.contains("BUSY"), "with 2 slots, the third concurrent document is refused: " + reasons);
        assertTrue(reasons.contains("KAFKA_UNAVAILABLE"), reasons.toString());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(took) < 60, "answered within the publish timeout, not hung");

        String next = retryUntilAccepted();
        assertEquals(
                DocumentState.ACCEPTED,
                TopicRecorder.get()
                        .await(next, DocumentStatus.class, l -> !l.isEmpty())
                        .get(0)
                        .getState());
        for (Response r : answers) {
            String id = r.jsonPath().getString("documentId");
            int requests =
                    TopicRecorder.get().records(id, DocumentRequest.class).size();
            int pages = TopicRecorder.get().records(id, PageImage.class).size();
            assertTrue(
                    (requests == 0 && pages == 0) || (requests == 1 && pages == 1),
                    "all or nothing for " + id + ": " + requests + " requests, " + pages + " pages");
        }
    }

    /** The first submissions after the broker resumes may still meet producers being rebuilt: retry as a client would. */
    private static String retryUntilAccepted() throws InterruptedException {
        String key = "after-pause-" + System.nanoTime();
        for (int attempt = 0; attempt < 20; attempt++) {
            Response r =
                    Submit.file("after.png", TestFiles.png(320, 240)).key(key).post();
            if (r.statusCode() == 202 || r.statusCode() == 200) {
                return r.jsonPath().getString("documentId");
            }
            assertEquals(503, r.statusCode(), r.asString());
            Thread.sleep(1000L * Integer.parseInt(r.header("Retry-After")));
        }
        throw new AssertionError("no document accepted after the broker resumed");
    }

    /** The broker PipelineStackResource started: a child JVM running kafka.Kafka (read from /proc, Linux). */
    private static boolean isBroker(ProcessHandle p) {
        try {
            String cmdline = java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "cmdline"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return List.of(cmdline.split("\0")).contains("kafka.Kafka");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                .inheritIO()
                .start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
    }
}
